import { reset } from './reset';
import { serve } from './serve';
import { status } from './status';
import { watch } from './watch';

export interface Command {
  summary: string;
  run(argv: string[]): Promise<number>;
}

/** Every `switchyard` subcommand; each file owns its options and `--help`. */
export const COMMANDS: Record<string, Command> = {
  serve: { summary: 'run the proxy and the dashboard headless (like the old PM2 service)', run: serve },
  status: { summary: 'show the running proxy: accounts, logins, states, blocked models and reset times', run: (argv) => status(argv) },
  watch: { summary: 'a live view of the running proxy and its latest events (q quits)', run: (argv) => watch(argv) },
  reset: { summary: 'clear cooldowns and blocks: --account KEY, --model ID, or --all', run: (argv) => reset(argv) },
};
