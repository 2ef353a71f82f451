import { Pool } from 'undici';
import { msBetween } from './stats';

/**
 * Load for benches: undici pools with keep-alive (not the openai SDK: its own work would swamp
 * what is measured), timing with process.hrtime.bigint().
 */

export interface Target {
  /** direct: the simulator itself; proxy: Switchyard; reference: the minimal proxy (null-proxy.mjs). */
  name: 'direct' | 'proxy' | 'reference';
  pool: Pool;
  path: string;
  headers: Record<string, string>;
}

export function makeTarget(name: Target['name'], origin: string, path: string, headers: Record<string, string>): Target {
  return { name, pool: new Pool(origin, { connections: 256, pipelining: 1, keepAliveTimeout: 60_000 }), path, headers: { 'content-type': 'application/json', ...headers } };
}

export interface Sample {
  /** Time from sending to the last byte of the answer, ms. */
  latencyMs: number;
  status: number;
  /** How late the request left compared with its schedule, ms (open loop only). */
  lagMs: number;
  /** x-switchyard-overhead-ms, when the proxy answered. */
  overheadMs: number | null;
}

/** One request, body read to its end. Never throws: a failure is status 0. */
export async function send(target: Target, body: string, onChunk?: (chunk: Buffer, at: bigint) => void): Promise<Omit<Sample, 'lagMs'>> {
  const start = process.hrtime.bigint();
  try {
    const res = await target.pool.request({ path: target.path, method: 'POST', headers: target.headers, body });
    for await (const chunk of res.body) onChunk?.(chunk as Buffer, process.hrtime.bigint());
    const overhead = res.headers['x-switchyard-overhead-ms'];
    return { latencyMs: msBetween(start, process.hrtime.bigint()), status: res.statusCode, overheadMs: typeof overhead === 'string' ? Number(overhead) : null };
  } catch {
    return { latencyMs: msBetween(start, process.hrtime.bigint()), status: 0, overheadMs: null };
  }
}

/**
 * Open loop: request i leaves at start + i/rate whether or not earlier ones have been answered
 * (a slow server does not slow the arrivals, unlike a closed loop).
 */
export interface Planned {
  body: string;
  /** Called with every piece of the answer's body as it arrives. */
  onChunk?: (chunk: Buffer, at: bigint) => void;
}

export async function openLoop(target: Target, ratePerSecond: number, durationMs: number, next: () => Planned): Promise<Sample[]> {
  const intervalNs = BigInt(Math.round(1e9 / ratePerSecond));
  const total = Math.round((ratePerSecond * durationMs) / 1000);
  const start = process.hrtime.bigint() + 1_000_000n;
  const pending: Array<Promise<Sample>> = [];
  let i = 0;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = process.hrtime.bigint();
      while (i < total && start + BigInt(i) * intervalNs <= now) {
        const due = start + BigInt(i) * intervalNs;
        const lagMs = msBetween(due, process.hrtime.bigint());
        const planned = next();
        pending.push(send(target, planned.body, planned.onChunk).then((s) => ({ ...s, lagMs })));
        i++;
      }
      if (i >= total) return resolve();
      const waitMs = msBetween(process.hrtime.bigint(), start + BigInt(i) * intervalNs);
      // setTimeout sleeps at least ~1 ms; below that, yield with setImmediate and check again.
      if (waitMs > 1.2) setTimeout(tick, Math.floor(waitMs - 0.2));
      else setImmediate(tick);
    };
    tick();
  });
  return Promise.all(pending);
}

/** Closed loop: `clients` workers, each sending its next request when the last one is answered, for `durationMs`. */
export async function closedLoop(target: Target, clients: number, durationMs: number, body: () => string): Promise<{ completed: number; failed: number; seconds: number; latencies: number[] }> {
  const start = process.hrtime.bigint();
  const end = start + BigInt(durationMs) * 1_000_000n;
  let completed = 0;
  let failed = 0;
  const latencies: number[] = [];
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (process.hrtime.bigint() < end) {
        const s = await send(target, body());
        if (s.status === 200) {
          completed++;
          latencies.push(s.latencyMs);
        } else failed++;
      }
    }),
  );
  return { completed, failed, seconds: msBetween(start, process.hrtime.bigint()) / 1000, latencies };
}
