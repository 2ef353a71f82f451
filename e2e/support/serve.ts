import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './paths';
import { stopChild } from './stop-child';

export interface ServeProcess {
  /** As printed: http://127.0.0.1:<port>/#key=<adminKey> */
  dashboardUrl: string;
  /** As printed: http://127.0.0.1:<port>/v1 */
  proxyUrl: string;
  origin: string;
  adminKey: string;
  dataDir: string;
  /** Everything the process wrote, for failure messages. */
  output(): string;
  /** SIGTERM, then SIGKILL if it has not exited in time; removes the data folder. */
  stop(): Promise<void>;
}

const STARTUP_MS = 30_000;

/** An environment without the machine's own GitHub tokens or Switchyard settings. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (/^GITHUB_TOKEN\d*$/.test(name) || name.startsWith('SWITCHYARD_') || name === 'PORT' || name === 'HOST') continue;
    if (/^(ENABLE_MODEL_THROTTLING|MODEL_MIN_INTERVAL_MS|RATE_LIMIT_ENABLED|RATE_LIMIT_PER_MINUTE)$/.test(name)) continue;
    env[name] = value;
  }
  return { ...env, SWITCHYARD_NO_BUILD: '1', NO_COLOR: '1', ...extra };
}

/** Starts `switchyard serve --port 0` against `upstreamUrl` (the simulator) with a fresh data folder; `extraEnv`: e.g. provider keys. */
export async function startServe(upstreamUrl: string, extraEnv: Record<string, string> = {}): Promise<ServeProcess> {
  const dataDir = await mkdtemp(join(tmpdir(), 'switchyard-e2e-'));
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'switchyard.mjs'), 'serve', '--port', '0', '--host', '127.0.0.1'], {
    cwd: ROOT,
    env: cleanEnv({ GITHUB_MODELS_BASE_URL: upstreamUrl, GITHUB_API_BASE_URL: upstreamUrl, SWITCHYARD_DATA_DIR: dataDir, ...extraEnv }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));

  try {
    const lines = await waitForLines(child, () => output);
    const origin = new URL(lines.dashboard).origin;
    const adminKey = new URL(lines.dashboard).hash.replace(/^#key=/, '');
    return {
      dashboardUrl: lines.dashboard,
      proxyUrl: lines.proxy,
      origin,
      adminKey,
      dataDir,
      output: () => output,
      stop: async () => {
        await stopChild(child, 10_000);
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await stopChild(child, 10_000);
    await rm(dataDir, { recursive: true, force: true });
    throw new Error(`switchyard serve did not start: ${(error as Error).message}\n--- output ---\n${output}`);
  }
}

function waitForLines(child: ChildProcess, output: () => string): Promise<{ dashboard: string; proxy: string }> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const dashboard = /^Dashboard: (http:\/\/\S+#key=\S+)$/m.exec(output())?.[1];
      const proxy = /^Proxy: (http:\/\/\S+\/v1)$/m.exec(output())?.[1];
      if (dashboard && proxy) {
        done();
        resolve({ dashboard, proxy });
      }
    };
    const onExit = (code: number | null) => {
      done();
      reject(new Error(`it exited with code ${code}`));
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error(`no "Dashboard:" line within ${STARTUP_MS / 1000} s`));
    }, STARTUP_MS);
    const done = () => {
      clearTimeout(timer);
      child.stdout!.off('data', check);
      child.off('exit', onExit);
    };
    child.stdout!.on('data', check);
    child.once('exit', onExit);
    check();
  });
}
