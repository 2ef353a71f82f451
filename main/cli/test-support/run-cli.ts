// Runs the `switchyard` CLI from source (tests spawn it with `node --import tsx`): the same main() the bin runs.
import { main } from '../index';

process.exitCode = await main(process.argv.slice(2));
