import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createEngine } from '../core/engine';
import { newStartId } from '../core/start-id';
import type { Snapshot } from '../../shared/snapshot';
import { ConfigFileError, loadConfig } from '../core/config/config-file';
import { INSECURE_NO_CLIENT_KEY, readEnv } from '../core/config/env';
import { createLogger } from '../core/log';
import { createRedactor } from '../core/mask';
import { exposureWarning, listeningUrls, listensBeyondLoopback } from '../core/proxy/exposure';
import { dataDirPath, dataDirProblem } from '../core/state/data-dir';
import { addressSources, keepInstanceRecord } from '../core/state/instance-record';
import { VERSION } from '../core/version';
import { baseOrigin } from '../core/runtime/snapshot';
import { isProviderId, providerFor } from '../core/providers/index';
import { startDemo } from './simulate-demo';
import { parseCommandArgs, readPort, UsageError } from './args';
import { readGhToken } from './gh-token';

const HELP = `Usage: switchyard serve [--port N] [--host H] [--config FILE] [--insecure-no-client-key] [--simulate] [--pretty | --json-logs] [--log-level L]

Runs the OpenAI-compatible proxy and the dashboard, headless.
  --port N      port to listen on (default: PORT, else the saved setting, else 4000; 0 = any free port)
  --host H      address to listen on (default: HOST, else 127.0.0.1 — this machine only). Beyond
                this machine (e.g. 0.0.0.0) it needs a client key (SWITCHYARD_API_KEY), else it refuses to start
  --insecure-no-client-key
                listen beyond this machine without a client key: anyone on the network can use your
                accounts (also SWITCHYARD_INSECURE_NO_CLIENT_KEY=1)
  --config FILE accounts of any provider and routes, YAML or JSON (also SWITCHYARD_CONFIG)
  --simulate    serve against the built-in simulator with demo accounts (two Groq organisations,
                Gemini, Cerebras, OpenRouter, and a retired GitHub Models account) and small
                limits: watch rotation across providers happen offline, with no key. Your own
                provider variables and --config are left out
  --pretty      human-readable logs (default on a terminal; JSON lines otherwise)
  --json-logs   JSON lines even on a terminal
  --log-level L debug, info (default, or LOG_LEVEL), warn or error
  -h, --help    this help

Accounts come from each provider's variables (GROQ_API_KEY, GROQ_API_KEY2, GEMINI_API_KEY, …,
GITHUB_TOKEN for the retired GitHub Models), from --config, and from the dashboard's Settings.
State lives in SWITCHYARD_DATA_DIR (default: your OS's config folder). SIGTERM/SIGINT stop it cleanly.
`;

const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'];

/** Exit codes: 0 stopped cleanly, 1 could not listen, 2 bad usage, 4 data folder not writable, 3 refused to listen beyond loopback without a client key. */
export const EXIT_EXPOSED_WITHOUT_KEY = 3;
/** Exit code 4: the data folder cannot be written. */
export const EXIT_DATA_DIR_UNWRITABLE = 4;

export async function serve(argv: string[]): Promise<number> {
  let flags;
  try {
    const { values } = parseCommandArgs(argv, {
      port: { type: 'string' },
      host: { type: 'string' },
      'insecure-no-client-key': { type: 'boolean' },
      simulate: { type: 'boolean' },
      config: { type: 'string' },
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
  const startId = newStartId();
  // One redactor for the logger and the engine: the engine tells it the keys it holds.
  const redactor = createRedactor();
  const logger = createLogger({ startId: () => startId, redactor, level: flags['log-level'], pretty: flags.pretty ?? (!flags['json-logs'] && Boolean(process.stdout.isTTY)) });
  // Said once, at start, with its own exit code: never a stack, never a save error every second.
  const dataDir = dataDirPath(process.env);
  const unwritable = (await dataDirProblem(dataDir)) ?? (flags.simulate ? await dataDirProblem(join(dataDir, 'simulate')) : null);
  if (unwritable) {
    process.stderr.write(`switchyard serve: ${unwritable}\n  Point SWITCHYARD_DATA_DIR at a folder this user can write (it keeps settings.json, secrets.json, state.json and admin.key there).\n`);
    return EXIT_DATA_DIR_UNWRITABLE;
  }
  // The config file (--config FILE or SWITCHYARD_CONFIG): accounts of any provider, and routes.
  let config: Awaited<ReturnType<typeof loadConfig>> | null = null;
  const configFile = flags.config ?? (process.env.SWITCHYARD_CONFIG?.trim() || null);
  if (configFile && flags.simulate) process.stderr.write(`switchyard serve: --simulate serves the demo accounts and routes only; ${configFile} is not read.\n`);
  else if (configFile) {
    try {
      config = await loadConfig(configFile, process.env);
    } catch (error) {
      if (!(error instanceof ConfigFileError)) throw error;
      process.stderr.write(`switchyard serve: ${error.message}\n`);
      return 2;
    }
  }
  const baseEnv = flags['insecure-no-client-key'] ? { ...process.env, [INSECURE_NO_CLIENT_KEY]: '1' } : process.env;
  const simulated = flags.simulate ? await startDemo(join(dataDir, 'simulate'), baseEnv) : null;
  const closeSimulator = async () => simulated?.simulator.close();
  const engine = await createEngine({
    startId,
    dataDir,
    config: simulated?.config ?? config,
    env: simulated?.env ?? baseEnv,
    overrides: { host: flags.host, port: flags.port },
    simulate: flags.simulate,
    dashboardDir: findDashboard(),
    readGhToken,
    logger,
    redactor,
  }).catch(async (error: unknown) => {
    await closeSimulator();
    throw error;
  });
  await engine.start();
  const snapshot = engine.snapshot();
  if (snapshot.proxy.status === 'error') {
    process.stderr.write(`switchyard serve: ${snapshot.proxy.error}\n`);
    await engine.shutdown();
    await closeSimulator();
    return 1;
  }
  const insecure = flags['insecure-no-client-key'] === true || readEnv(process.env).insecureNoClientKey;
  const exposure = exposureWarning(snapshot.proxy.host, snapshot.proxy.apiKeyRequired ? 'required' : null, insecure);
  if (exposure && !insecure) {
    process.stderr.write(
      `switchyard serve: refusing to listen on ${snapshot.proxy.host} without a client key: anyone on the network could use your accounts.\n` +
        '  Set SWITCHYARD_API_KEY=<a long random key> (clients send it as their API key), or listen on 127.0.0.1,\n' +
        '  or, if every machine that can reach this one is yours, add --insecure-no-client-key.\n',
    );
    await engine.shutdown();
    await closeSimulator();
    return EXIT_EXPOSED_WITHOUT_KEY;
  }
  if (exposure) logger.warn({ tag: 'security' }, exposure);
  const origin = baseOrigin(snapshot.proxy.host, snapshot.proxy.port);
  const reachable = listensBeyondLoopback(snapshot.proxy.host) ? listeningUrls(snapshot.proxy.host, snapshot.proxy.port).map((url) => `${url}/v1`) : [];
  const accounts = snapshot.accounts.map(accountWords).join(', ') || 'none yet — set a provider key (GROQ_API_KEY, GEMINI_API_KEY, …) or add one in the dashboard';
  // Signals are handled before anything is printed: whoever reads the banner may send SIGTERM at once.
  const stopped = new Promise<void>((resolve) => {
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
  // Lets `switchyard status` find this instance wherever it listens (item 16); removed on stop.
  const record = await keepInstanceRecord(dataDir, engine, { simulate: Boolean(flags.simulate), source: addressSources(flags, process.env) }, (error) =>
    logger.warn({ err: error }, 'Could not record this instance in the data folder; the CLI may not find it'),
  );
  process.stdout.write(
    [
      `Switchyard ${VERSION}${flags.simulate ? ' (simulator: demo accounts of Groq, Gemini, Cerebras, OpenRouter and the retired GitHub Models)' : ''}`,
      `Proxy: ${origin}/v1`,
      ...(reachable.length ? [`Listening on ${snapshot.proxy.host}:${snapshot.proxy.port}: ${reachable.join(', ')}`] : []),
      `Dashboard: ${origin}/#key=${engine.adminKey}`,
      `Accounts: ${accounts}`,
      `Data: ${engine.dataDir}`,
      '',
    ].join('\n'),
  );

  await stopped;
  await closeSimulator();
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

/** `GROQ_API_KEY (groq, org_demo_work)`, `GITHUB_TOKEN (github @alice, retired)`. */
function accountWords(a: Snapshot['accounts'][number]): string {
  const owner = a.login && !a.login.startsWith('key-') ? (a.provider === 'github' ? ` @${a.login}` : `, ${a.login}`) : '';
  const retired = a.status === 'retired' || (isProviderId(a.provider) && providerFor(a.provider).retired);
  return `${a.key} (${a.provider}${owner}${retired ? ', retired' : ''})`;
}
