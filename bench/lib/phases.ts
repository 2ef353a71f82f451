import { closedLoop, openLoop, type Sample, type Target } from './load';
import { cpuMsOf } from './proc-cpu';
import { ChunkClock, chunkDelays } from './sse-timing';
import type { SimChild } from './sim-child';
import { round3, roundSummary, summarize, type Summary } from './stats';

/**
 * The measured phases. Each sends the same load to every target in turn, in alternating blocks
 * (direct, proxy, reference, direct, proxy, reference, …), so all see the same machine state;
 * the first round warms up and is not counted. "Added" is a path's percentile minus direct's.
 */

type Name = Target['name'];
type PerTarget<T> = Partial<Record<Name, T>>;

export interface Plan {
  blockMs: number;
  rounds: number;
}

export interface PathResult {
  latency: Summary;
  addedP50: number;
  addedP99: number;
  errors: number;
}

export interface LatencyResult {
  rate: number;
  paths: PerTarget<PathResult>;
  /** The proxy's own measure of its work (x-switchyard-overhead-ms). */
  overheadHeader: Summary;
  maxLagMs: number;
}

const drain = () => new Promise((resolve) => setTimeout(resolve, 200));

function added(summaries: PerTarget<Summary>, errors: PerTarget<number>): PerTarget<PathResult> {
  const direct = summaries.direct;
  const out: PerTarget<PathResult> = {};
  for (const [name, s] of Object.entries(summaries) as Array<[Name, Summary]>) {
    out[name] = { latency: roundSummary(s), addedP50: direct ? round3(s.p50 - direct.p50) : 0, addedP99: direct ? round3(s.p99 - direct.p99) : 0, errors: errors[name] ?? 0 };
  }
  return out;
}

export async function latencyPhase(targets: Target[], rate: number, plan: Plan, body: string): Promise<LatencyResult> {
  const kept: PerTarget<Sample[]> = {};
  for (let round = 0; round <= plan.rounds; round++) {
    for (const target of targets) {
      const samples = await openLoop(target, rate, plan.blockMs, () => ({ body }));
      if (round > 0) (kept[target.name] ??= []).push(...samples);
      await drain();
    }
  }
  const summaries: PerTarget<Summary> = {};
  const errors: PerTarget<number> = {};
  let maxLag = 0;
  for (const [name, samples] of Object.entries(kept) as Array<[Name, Sample[]]>) {
    const ok = samples.filter((s) => s.status === 200);
    summaries[name] = summarize(ok.map((s) => s.latencyMs));
    errors[name] = samples.length - ok.length;
    for (const s of samples) maxLag = Math.max(maxLag, s.lagMs);
  }
  const overhead = (kept.proxy ?? []).flatMap((s) => (s.status === 200 && s.overheadMs !== null ? [s.overheadMs] : []));
  return { rate, paths: added(summaries, errors), overheadHeader: roundSummary(summarize(overhead)), maxLagMs: round3(maxLag) };
}

export interface StreamResult {
  rate: number;
  chunks: number;
  chunkDelayMs: number;
  /** Simulator write() → client 'data', per chunk, ms. */
  paths: PerTarget<PathResult>;
  unmatchedStreams: PerTarget<number>;
}

/** Streams at `rate` per second; the simulator writes `chunks` content chunks `chunkDelayMs` apart. */
export async function streamPhase(targets: Target[], sim: SimChild, rate: number, plan: Plan, body: string, stream: { chunks: number; chunkDelayMs: number }): Promise<StreamResult> {
  await sim.setStream(stream);
  const delays: PerTarget<number[]> = {};
  const unmatched: PerTarget<number> = {};
  const errors: PerTarget<number> = {};
  try {
    for (let round = 0; round <= plan.rounds; round++) {
      for (const target of targets) {
        await sim.takeStamps();
        const clocks: ChunkClock[] = [];
        const samples = await openLoop(target, rate, plan.blockMs, () => {
          const clock = new ChunkClock();
          clocks.push(clock);
          return { body, onChunk: clock.onChunk };
        });
        const matched = chunkDelays(clocks, await sim.takeStamps());
        if (round > 0) {
          (delays[target.name] ??= []).push(...matched.delays);
          unmatched[target.name] = (unmatched[target.name] ?? 0) + matched.unmatched;
          errors[target.name] = (errors[target.name] ?? 0) + samples.filter((s) => s.status !== 200).length;
        }
        await drain();
      }
    }
  } finally {
    await sim.setStream({ chunks: 5, chunkDelayMs: 0 });
  }
  const summaries: PerTarget<Summary> = {};
  for (const [name, list] of Object.entries(delays) as Array<[Name, number[]]>) summaries[name] = summarize(list);
  return { rate, ...stream, paths: added(summaries, errors), unmatchedStreams: unmatched };
}

export interface ThroughputPath {
  /** Requests per second, per block, and their mean. */
  blocks: number[];
  rps: number;
  /** rps / direct rps. */
  ratio: number;
  latency: Summary;
  errors: number;
  /** CPU time per answered request, ms: of the proxy process, and of the simulator. */
  cpuPerRequest: { proxy: number | null; simulator: number | null };
}

export interface ThroughputResult {
  clients: number;
  paths: PerTarget<ThroughputPath>;
}

/** Processes whose CPU time the throughput phase reads: the simulator, and each target's proxy process. */
export interface Pids {
  sim: number;
  proxies: PerTarget<number>;
}

/** `clients` closed-loop clients as fast as answers come, `plan.blockMs` per block. */
export async function throughputPhase(targets: Target[], clients: number, plan: Plan, body: string, pids: Pids): Promise<ThroughputResult> {
  const acc: PerTarget<{ blocks: number[]; latencies: number[]; errors: number; completed: number; proxyCpu: number; simCpu: number }> = {};
  for (let round = 0; round <= plan.rounds; round++) {
    for (const target of targets) {
      const proxyPid = pids.proxies[target.name];
      const before = { proxy: proxyPid ? (cpuMsOf(proxyPid) ?? 0) : 0, sim: cpuMsOf(pids.sim) ?? 0 };
      const result = await closedLoop(target, clients, round === 0 ? Math.min(1_000, plan.blockMs) : plan.blockMs, () => body);
      if (round > 0) {
        const a = (acc[target.name] ??= { blocks: [], latencies: [], errors: 0, completed: 0, proxyCpu: 0, simCpu: 0 });
        a.blocks.push(Math.round(result.completed / result.seconds));
        a.latencies.push(...result.latencies);
        a.errors += result.failed;
        a.completed += result.completed;
        a.proxyCpu += proxyPid ? (cpuMsOf(proxyPid) ?? 0) - before.proxy : 0;
        a.simCpu += (cpuMsOf(pids.sim) ?? 0) - before.sim;
      }
      await drain();
    }
  }
  const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / Math.max(1, v.length);
  const directRps = mean(acc.direct?.blocks ?? []);
  const paths: PerTarget<ThroughputPath> = {};
  const measured = cpuMsOf(pids.sim) !== null;
  for (const [name, a] of Object.entries(acc) as Array<[Name, NonNullable<(typeof acc)[Name]>]>) {
    const rps = Math.round(mean(a.blocks));
    paths[name] = {
      blocks: a.blocks,
      rps,
      ratio: directRps ? round3(rps / directRps) : 0,
      latency: roundSummary(summarize(a.latencies)),
      errors: a.errors,
      cpuPerRequest: { proxy: measured && pids.proxies[name] ? round3(a.proxyCpu / a.completed) : null, simulator: measured ? round3(a.simCpu / a.completed) : null },
    };
  }
  return { clients, paths };
}
