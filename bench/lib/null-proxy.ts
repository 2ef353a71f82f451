import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { orphanGuard, rssOf } from './serve-child';

const MAIN = fileURLToPath(new URL('./null-proxy.mjs', import.meta.url));

/** The reference proxy (null-proxy.mjs) in its own process. */
export interface NullProxy {
  origin: string;
  pid: number;
  readonly child: ChildProcess;
  rss(): Promise<number>;
  stop(): Promise<void>;
}

/** `chatPath`: the upstream's chat path. `nodeArgs`: flags for node itself (e.g. `--import` the allocation probe). Its stderr is piped (the probe answers there) and echoed. */
export async function startNullProxy(upstream: string, token: string, chatPath: string, nodeArgs: string[] = []): Promise<NullProxy> {
  const child = spawn(process.execPath, [...nodeArgs, MAIN, upstream, token, chatPath], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stderr?.on('data', (piece: Buffer) => {
    const text = piece.toString();
    if (!text.startsWith('SWITCHYARD_ALLOC')) process.stderr.write(text);
  });
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
    child,
    rss: () => rssOf(child.pid ?? 0),
    async stop() {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
