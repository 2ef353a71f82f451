import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { orphanGuard, rssOf } from './serve-child';

const MAIN = fileURLToPath(new URL('./null-proxy.mjs', import.meta.url));

/** The reference proxy (null-proxy.mjs) in its own process. */
export interface NullProxy {
  origin: string;
  pid: number;
  rss(): Promise<number>;
  stop(): Promise<void>;
}

export async function startNullProxy(upstream: string, token: string): Promise<NullProxy> {
  const child = spawn(process.execPath, [MAIN, upstream, token], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  orphanGuard(child);
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout?.setEncoding('utf8').on('data', (text: string) => {
      out += text;
      const match = /listening (\d+)/.exec(out);
      if (match) resolve(Number(match[1]));
    });
    child.once('exit', (code) => reject(new Error(`null proxy exited (${code})`)));
  });
  return {
    origin: `http://127.0.0.1:${port}`,
    pid: child.pid ?? 0,
    rss: () => rssOf(child.pid ?? 0),
    async stop() {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
