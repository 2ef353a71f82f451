import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createEngine } from '../core/engine';
import { createLogger } from '../core/log';
import { resolveDataDir } from '../core/state/data-dir';
import { addressSources, keepInstanceRecord } from '../core/state/instance-record';
import { VERSION } from '../core/version';
import { baseOrigin } from '../core/runtime/snapshot';
import { parseCommandArgs, readPort, UsageError } from './args';

const HELP = `Usage: switchyard serve [--port N] [--host H] [--simulate] [--pretty | --json-logs] [--log-level L]

Runs the OpenAI-compatible proxy and the dashboard, headless.
  --port N      port to listen on (default: PORT, else the saved setting, else 4000; 0 = any free port)
  --host H      address to listen on (default: HOST, else 127.0.0.1 — this machine only)
  --simulate    serve against the built-in GitHub Models simulator with demo accounts and small
                limits: watch rotation happen offline, with no token
  --pretty      human-readable logs (default on a terminal; JSON lines otherwise)
  --json-logs   JSON lines even on a terminal
  --log-level L debug, info (default, or LOG_LEVEL), warn or error
  -h, --help    this help

Accounts come from GITHUB_TOKEN, GITHUB_TOKEN2, GITHUB_TOKEN3, … and from the dashboard's Settings.
State lives in SWITCHYARD_DATA_DIR (default: your OS's config folder). SIGTERM/SIGINT stop it cleanly.
`;

const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'];

export async function serve(argv: string[]): Promise<number> {
  let flags;
  try {
    const { values } = parseCommandArgs(argv, {
      port: { type: 'string' },
      host: { type: 'string' },
      simulate: { type: 'boolean' },
      pretty: { type: 'boolean' },
      'json-logs': { type: 'boolean' },
      'log-level': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    });
    flags = { ...values, port: readPort(values.port) };
    if (values.pretty && values['json-logs']) throw new UsageError('--pretty and --json-logs contradict each other; pick one.');
    if (values['log-level'] !== undefined && !LOG_LEVELS.includes(values['log-level'])) throw new UsageError(`--log-level ${values['log-level']} is not one of ${LOG_LEVELS.join(', ')}.`);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`switchyard serve: ${error.message}\n\n${HELP}`);
    return 2;
  }
  if (flags.help) {
    process.stdout.write(HELP);
    return 0;
  }

  // Every log line carries the engine's start id (the one in events, /health and `switchyard status`).
  let startId = 'starting';
  const logger = createLogger({ startId: () => startId, level: flags['log-level'], pretty: flags.pretty ?? (!flags['json-logs'] && Boolean(process.stdout.isTTY)) });
  const dataDir = await resolveDataDir(process.env);
  const engine = createEngine({
    dataDir,
    env: process.env,
    overrides: { host: flags.host, port: flags.port },
    simulate: flags.simulate,
    dashboardDir: findDashboard(),
    logger,
  });
  startId = engine.snapshot().startId;
  await engine.start();
  const snapshot = engine.snapshot();
  if (snapshot.proxy.status === 'error') {
    process.stderr.write(`switchyard serve: ${snapshot.proxy.error}\n`);
    await engine.shutdown();
    return 1;
  }
  const origin = baseOrigin(snapshot.proxy.host, snapshot.proxy.port);
  const accounts = snapshot.accounts.map((a) => `${a.key}${a.login ? ` (@${a.login})` : ''}`).join(', ') || 'none yet — set GITHUB_TOKEN or add one in the dashboard';
  process.stdout.write(
    [
      `Switchyard ${VERSION}${flags.simulate ? ' (simulated GitHub Models, demo accounts)' : ''}`,
      `Proxy: ${origin}/v1`,
      `Dashboard: ${origin}/#key=${engine.adminKey}`,
      `Accounts: ${accounts}`,
      `Data: ${engine.dataDir}`,
      '',
    ].join('\n'),
  );
  // Lets `switchyard status` find this instance wherever it listens (item 16); removed on stop.
  const record = await keepInstanceRecord(dataDir, engine, { simulate: Boolean(flags.simulate), source: addressSources(flags, process.env) }, (error) =>
    logger.warn({ err: error }, 'Could not record this instance in the data folder; the CLI may not find it'),
  );

  await new Promise<void>((resolve) => {
    let stopping = false;
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) {
        process.stderr.write(`switchyard: ${signal} again, exiting now.\n`);
        process.exit(1);
      }
      stopping = true;
      logger.info({ tag: 'shutdown', signal }, 'Stopping: finishing in-flight requests and saving state');
      engine.shutdown().then(resolve, (error) => {
        logger.error({ err: error }, 'Shutdown failed');
        resolve();
      });
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await record.stop();
  logger.flush?.();
  return 0;
}

/** The built renderer: beside the bundled CLI (dist/renderer), or dist/ of the checkout when run from source. */
function findDashboard(): string | null {
  const here = import.meta.dirname ?? '.';
  for (const dir of [join(here, 'renderer'), join(here, '..', '..', 'dist', 'renderer')]) {
    if (existsSync(join(dir, 'index.html'))) return dir;
  }
  return null;
}
