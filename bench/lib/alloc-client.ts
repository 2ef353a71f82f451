import type { ChildProcess } from 'node:child_process';

/** Reading of bench/lib/alloc-probe.mjs: the JavaScript heap allocated between two signals. */
export interface AllocReading {
  bytes: number;
  gcs: number;
  scavenges: number;
  gcMs: number;
}

export const ALLOC_PROBE = new URL('./alloc-probe.mjs', import.meta.url).href;

/** Sends SIGUSR2 to a child started with `--import ALLOC_PROBE` and waits for the line starting with `mark`. */
function signalAndRead(child: ChildProcess, mark: string, timeoutMs = 10_000): Promise<string> {
  const stderr = child.stderr;
  if (!stderr) return Promise.reject(new Error('the child has no stderr pipe'));
  return new Promise((resolve, reject) => {
    let buffer = '';
    const onData = (piece: Buffer | string) => {
      buffer += piece.toString();
      const at = buffer.indexOf(mark);
      const end = at < 0 ? -1 : buffer.indexOf('\n', at);
      if (end < 0) {
        if (at < 0) buffer = buffer.slice(-mark.length);
        return;
      }
      done();
      resolve(buffer.slice(at + mark.length, end));
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error(`the child did not answer the allocation probe (${mark.trim()})`));
    }, timeoutMs);
    const done = () => {
      clearTimeout(timer);
      stderr.off('data', onData);
    };
    stderr.on('data', onData);
    child.kill('SIGUSR2');
  });
}

/** Heap bytes `child` allocated while `load` ran, per request `load` says it completed. */
export async function allocationPerRequest(child: ChildProcess, load: () => Promise<number>): Promise<AllocReading & { requests: number; perRequest: number }> {
  await signalAndRead(child, 'SWITCHYARD_ALLOC_STARTED');
  const requests = await load();
  const reading = JSON.parse(await signalAndRead(child, 'SWITCHYARD_ALLOC ')) as AllocReading;
  return { ...reading, requests, perRequest: requests > 0 ? Math.round(reading.bytes / requests) : Number.NaN };
}

export const ALLOC_SAMPLER = new URL('./alloc-sampler.mjs', import.meta.url).href;

export interface AllocSites {
  totalBytes: number;
  sites: Array<{ frame: string; bytes: number }>;
}

/** Where a child started with `--import ALLOC_SAMPLER` allocated while `load` ran (sampled, garbage included), per request. */
export async function allocationSites(child: ChildProcess, load: () => Promise<number>): Promise<AllocSites & { requests: number }> {
  await signalAndRead(child, 'SWITCHYARD_ALLOC_STARTED');
  const requests = await load();
  const sites = JSON.parse(await signalAndRead(child, 'SWITCHYARD_ALLOC_SITES ')) as AllocSites;
  return { ...sites, requests };
}
