import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'bin', 'switchyard.mjs');

/** `switchyard serve` as a user runs it (bin/switchyard.mjs → dist/cli.js), in its own process. */
export interface ServeChild {
  origin: string;
  port: number;
  pid: number;
  /** SWITCHYARD_DATA_DIR of this child (admin.key is there). */
  dataDir: string;
  /** From spawn() to the first 200 from GET /health, ms (hrtime). */
  startupMs: number;
  /** From spawn() to the "Proxy: …" line on stdout, ms. */
  bannerMs: number | null;
  rss(): Promise<number>;
  output(): string;
  /** SIGTERM (clean shutdown), SIGKILL after `graceMs`. Resolves with how it ended. */
  stop(graceMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(): Promise<void>;
  readonly child: ChildProcess;
}

export interface ServeChildOptions {
  dataDir: string;
  env: Record<string, string>;
  /** Flags for node itself, e.g. ['--cpu-prof', '--cpu-prof-dir', dir]. */
  nodeArgs?: string[];
  port?: number;
  /** Give up waiting for /health after this long. Default 20 s. */
  startTimeoutMs?: number;
  /** Another checkout's bin/switchyard.mjs (a baseline build to compare with); default this checkout's. */
  bin?: string;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Kills `child` if this process exits first (a bench that throws must not leave servers running). */
export function orphanGuard(child: ChildProcess): void {
  const kill = () => child.kill('SIGKILL');
  process.once('exit', kill);
  child.once('exit', () => process.off('exit', kill));
}

/** One GET; resolves with the status, or 0 when nothing answered. */
export function probe(origin: string, path: string, timeoutMs = 1_000): Promise<number> {
  return new Promise((resolve) => {
    const req = request(`${origin}${path}`, { agent: false, timeout: timeoutMs }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', () => resolve(0));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
    req.end();
  });
}

/** GET a text on a connection of its own, closed after (no keep-alive socket is left in the server). */
export function getText(url: string, headers: Record<string, string> = {}): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent: false, headers: { ...headers, connection: 'close' } }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (piece: string) => (text += piece));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** Resident set size of a process (Linux /proc; elsewhere `ps`). Bytes. */
export async function rssOf(pid: number): Promise<number> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const kb = /VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1];
    if (kb) return Number(kb) * 1024;
  } catch {
    // not Linux, or gone
  }
  const { execFileSync } = await import('node:child_process');
  return Number(execFileSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' }).trim()) * 1024;
}

export async function startServeChild(options: ServeChildOptions): Promise<ServeChild> {
  const port = options.port ?? (await freePort());
  const origin = `http://127.0.0.1:${port}`;
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), options.bin ?? BIN, 'serve', '--port', String(port), '--host', '127.0.0.1'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', SWITCHYARD_NO_BUILD: '1', NO_COLOR: '1', SWITCHYARD_DATA_DIR: options.dataDir, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let bannerMs: number | null = null;
  child.stdout?.setEncoding('utf8').on('data', (text: string) => {
    out += text;
    if (bannerMs === null && out.includes('Proxy: ')) bannerMs = Number(process.hrtime.bigint() - started) / 1e6;
    if (out.length > 1_000_000) out = out.slice(-500_000);
  });
  child.stderr?.setEncoding('utf8').on('data', (text: string) => {
    out += text;
    if (out.length > 1_000_000) out = out.slice(-500_000);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  orphanGuard(child);
  let gone = false;
  void exited.then(() => (gone = true));

  const deadline = Date.now() + (options.startTimeoutMs ?? 20_000);
  let startupMs = -1;
  while (!gone && Date.now() < deadline) {
    if ((await probe(origin, '/health', 500)) === 200) {
      startupMs = Number(process.hrtime.bigint() - started) / 1e6;
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  if (startupMs < 0) {
    child.kill('SIGKILL');
    await exited;
    throw new Error(`switchyard serve did not answer /health:\n${out.slice(-4000)}`);
  }

  return {
    origin,
    port,
    pid: child.pid ?? 0,
    dataDir: options.dataDir,
    startupMs,
    get bannerMs() {
      return bannerMs;
    },
    child,
    rss: () => rssOf(child.pid ?? 0),
    output: () => out,
    async stop(graceMs = 15_000) {
      if (gone) return exited;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const result = await exited;
      clearTimeout(timer);
      return result;
    },
    async kill() {
      if (!gone) child.kill('SIGKILL');
      await exited;
    },
  };
}
