import { closedLoop, openLoop, type Sample, type Target } from './load';
import { cpuMsOf } from './proc-cpu';
import { ChunkClock, chunkDelays } from './sse-timing';
import type { SimChild } from './sim-child';
import { roundSummary, summarize, type Summary, round3 } from './stats';

/**
 * The measured phases. Each sends the same load to the simulator directly and through the
 * proxy in alternating blocks (direct, proxy, direct, proxy, …), so both paths see the same
 * machine state; the first round warms up and is not counted.
 */

export interface LatencyResult {
  rate: number;
  direct: Summary;
  proxy: Summary;
  /** proxy − direct, per percentile (ms). */
  addedP50: number;
  addedP99: number;
  /** The proxy's own measure of its work (x-switchyard-overhead-ms). */
  overheadHeader: Summary;
  errors: { direct: number; proxy: number };
  maxLagMs: number;
}

export interface Plan {
  blockMs: number;
  rounds: number;
}

const drain = () => new Promise((resolve) => setTimeout(resolve, 200));

export async function latencyPhase(targets: [Target, Target], rate: number, plan: Plan, body: string): Promise<LatencyResult> {
  const kept: Record<Target['name'], Sample[]> = { direct: [], proxy: [] };
  for (let round = 0; round <= plan.rounds; round++) {
    for (const target of targets) {
      const samples = await openLoop(target, rate, plan.blockMs, () => ({ body }));
      if (round > 0) kept[target.name].push(...samples);
      await drain();
    }
  }
  const ok = (s: Sample[]) => s.filter((x) => x.status === 200);
  const direct = summarize(ok(kept.direct).map((s) => s.latencyMs));
  const proxy = summarize(ok(kept.proxy).map((s) => s.latencyMs));
  return {
    rate,
    direct: roundSummary(direct),
    proxy: roundSummary(proxy),
    addedP50: round3(proxy.p50 - direct.p50),
    addedP99: round3(proxy.p99 - direct.p99),
    overheadHeader: roundSummary(summarize(ok(kept.proxy).flatMap((s) => (s.overheadMs === null ? [] : [s.overheadMs])))),
    errors: { direct: kept.direct.length - ok(kept.direct).length, proxy: kept.proxy.length - ok(kept.proxy).length },
    maxLagMs: round3(Math.max(...kept.direct.map((s) => s.lagMs), ...kept.proxy.map((s) => s.lagMs))),
  };
}

export interface StreamResult {
  rate: number;
  chunks: number;
  chunkDelayMs: number;
  /** Simulator write() → client 'data', per chunk, ms. */
  direct: Summary;
  proxy: Summary;
  addedP50: number;
  addedP99: number;
  unmatchedStreams: { direct: number; proxy: number };
  errors: { direct: number; proxy: number };
}

/** Streams at `rate` per second; the simulator writes `chunks` content chunks `chunkDelayMs` apart. */
export async function streamPhase(targets: [Target, Target], sim: SimChild, rate: number, plan: Plan, body: string, stream: { chunks: number; chunkDelayMs: number }): Promise<StreamResult> {
  await sim.setStream(stream);
  const delays: Record<Target['name'], number[]> = { direct: [], proxy: [] };
  const unmatched = { direct: 0, proxy: 0 };
  const errors = { direct: 0, proxy: 0 };
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
          delays[target.name].push(...matched.delays);
          unmatched[target.name] += matched.unmatched;
          errors[target.name] += samples.filter((s) => s.status !== 200).length;
        }
        await drain();
      }
    }
  } finally {
    await sim.setStream({ chunks: 5, chunkDelayMs: 0 });
  }
  const direct = summarize(delays.direct);
  const proxy = summarize(delays.proxy);
  return {
    rate,
    ...stream,
    direct: roundSummary(direct),
    proxy: roundSummary(proxy),
    addedP50: round3(proxy.p50 - direct.p50),
    addedP99: round3(proxy.p99 - direct.p99),
    unmatchedStreams: unmatched,
    errors,
  };
}

export interface ThroughputResult {
  clients: number;
  /** Requests per second, per block. */
  direct: number[];
  proxy: number[];
  directRps: number;
  proxyRps: number;
  /** proxyRps / directRps. */
  ratio: number;
  latency: { direct: Summary; proxy: Summary };
  errors: { direct: number; proxy: number };
  /** CPU time per answered request, ms: of the serve process (proxy blocks) and of the simulator (each path). */
  cpuPerRequest: { serve: number | null; simDirect: number | null; simProxied: number | null };
}

/** Processes whose CPU time the throughput phase reads. */
export interface Pids {
  serve: number;
  sim: number;
}

/** `clients` closed-loop clients as fast as answers come, `plan.blockMs` per block. */
export async function throughputPhase(targets: [Target, Target], clients: number, plan: Plan, body: string, pids: Pids): Promise<ThroughputResult> {
  const rps: Record<Target['name'], number[]> = { direct: [], proxy: [] };
  const latencies: Record<Target['name'], number[]> = { direct: [], proxy: [] };
  const errors = { direct: 0, proxy: 0 };
  const cpu = { serve: 0, simDirect: 0, simProxied: 0, direct: 0, proxy: 0 };
  for (let round = 0; round <= plan.rounds; round++) {
    for (const target of targets) {
      const before = { serve: cpuMsOf(pids.serve) ?? 0, sim: cpuMsOf(pids.sim) ?? 0 };
      const result = await closedLoop(target, clients, round === 0 ? Math.min(1_000, plan.blockMs) : plan.blockMs, () => body);
      if (round > 0) {
        rps[target.name].push(Math.round(result.completed / result.seconds));
        latencies[target.name].push(...result.latencies);
        errors[target.name] += result.failed;
        cpu[target.name] += result.completed;
        const sim = (cpuMsOf(pids.sim) ?? 0) - before.sim;
        if (target.name === 'proxy') {
          cpu.serve += (cpuMsOf(pids.serve) ?? 0) - before.serve;
          cpu.simProxied += sim;
        } else cpu.simDirect += sim;
      }
      await drain();
    }
  }
  const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / Math.max(1, v.length);
  const directRps = Math.round(mean(rps.direct));
  const proxyRps = Math.round(mean(rps.proxy));
  return {
    clients,
    direct: rps.direct,
    proxy: rps.proxy,
    directRps,
    proxyRps,
    ratio: round3(proxyRps / directRps),
    latency: { direct: roundSummary(summarize(latencies.direct)), proxy: roundSummary(summarize(latencies.proxy)) },
    errors,
    cpuPerRequest: cpuMsOf(pids.serve) === null ? { serve: null, simDirect: null, simProxied: null } : { serve: round3(cpu.serve / cpu.proxy), simDirect: round3(cpu.simDirect / cpu.direct), simProxied: round3(cpu.simProxied / cpu.proxy) },
  };
}
