import { ADMIN_ROUTES } from '../../shared/admin-routes';
import type { Snapshot } from '../../shared/snapshot';
import { parseCommandArgs } from './args';
import { connect, EXIT_CODES_HELP, processIo, runCommand, TARGET_HELP, TARGET_OPTIONS, type CliIo } from './io';
import { renderStatus } from './status-view';

const HELP = `Usage: switchyard status [--json] [--url URL] [--key KEY]

Shows the running Switchyard (the old token-status.sh): whether the proxy runs and where, and for
each account its key, GitHub login, masked token, state, and the models it is blocked for with
their reset times (local time and how long from now).
  --json        print the whole snapshot as JSON for scripts (times in epoch milliseconds)
${TARGET_HELP}

${EXIT_CODES_HELP}
`;

export async function status(argv: string[], io: CliIo = processIo()): Promise<number> {
  return runCommand(io, 'status', HELP, async () => {
    const { values } = parseCommandArgs(argv, { ...TARGET_OPTIONS, json: { type: 'boolean' } });
    if (values.help) {
      io.stdout.write(HELP);
      return 0;
    }
    const client = await connect(values, io);
    const snapshot = await client.call<Snapshot>(ADMIN_ROUTES.snapshot);
    if (values.json) io.stdout.write(`${JSON.stringify(snapshot, null, 2)}\n`);
    else io.stdout.write(renderStatus(snapshot, { now: io.now(), color: Boolean(io.stdout.isTTY) && !io.env.NO_COLOR }));
    return 0;
  });
}
