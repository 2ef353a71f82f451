import type { ServeChild } from './serve-child';

export interface ProbeReading {
  handles: Record<string, number>;
  /** Open TCP sockets as "localPort->remotePort". */
  sockets: string[];
  rss: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
}

export const PROBE = new URL('./handle-probe.mjs', import.meta.url).href;
const MARK = 'SWITCHYARD_PROBE ';

/** Asks a serve child started with `--expose-gc --import PROBE` for a reading (after a full GC). */
export function probeChild(server: ServeChild, timeoutMs = 10_000): Promise<ProbeReading> {
  const stderr = server.child.stderr;
  if (!stderr) return Promise.reject(new Error('the serve child has no stderr pipe'));
  return new Promise((resolve, reject) => {
    let buffer = '';
    const onData = (piece: Buffer | string) => {
      buffer += piece.toString();
      const at = buffer.indexOf(MARK);
      const end = at < 0 ? -1 : buffer.indexOf('\n', at);
      if (end < 0) {
        if (at < 0) buffer = buffer.slice(-MARK.length);
        return;
      }
      done();
      resolve(JSON.parse(buffer.slice(at + MARK.length, end)) as ProbeReading);
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error('the serve child did not answer the probe'));
    }, timeoutMs);
    const done = () => {
      clearTimeout(timer);
      stderr.off('data', onData);
    };
    stderr.on('data', onData);
    server.child.kill('SIGUSR2');
  });
}
