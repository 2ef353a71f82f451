import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ALLOC_PROBE, ALLOC_SAMPLER, allocationPerRequest, allocationSites, type AllocSites } from './alloc-client';
import { startRig, type BenchRig } from './bench-setup';
import { readProfileFrom, type ProfileSummary } from './cpu-profile';
import { closedLoop, makeTarget, openLoop, type Target } from './load';
import { startNullProxy } from './null-proxy';
import { cpuMsOf } from './proc-cpu';
import { startServeChild } from './serve-child';
import { summarize } from './stats';

/**
 * `npm run bench -- --hot-path-only`: only what the per-request cost of issue 16 needs, fast enough
 * to run after each change — CPU per request under 64 closed-loop clients, heap allocated per JSON
 * request at 500 req/s, and the added p50 at 500 req/s, for Switchyard and the minimal proxy (and a
 * baseline build, `--baseline <checkout>/bin/switchyard.mjs`) in alternating blocks of one run.
 * With --profile, a CPU profile of the serve process under the same saturated load.
 */

export interface HotPathOptions {
  log: (line: string) => void;
  quick: boolean;
  profile: boolean;
  /** Also sample where the serve process allocates (V8's sampling heap profiler, garbage included). */
  allocSites: boolean;
  /** bin/switchyard.mjs of another checkout (built), measured beside this one. */
  baselineBin: string | null;
}

interface Path {
  label: string;
  target: Target;
  pid: number;
  child: Parameters<typeof allocationPerRequest>[0];
  stop: () => Promise<unknown>;
}

interface PathFigures {
  label: string;
  rps: number;
  cpuMsPerRequest: number;
  kbPerRequest: number;
  p50At500: number;
  errors: number;
}

const drain = () => new Promise((resolve) => setTimeout(resolve, 200));

/** A serve child with its own data folder, holding the rig's bench settings (maxWaitMs 0). */
async function serveOf(rig: BenchRig, label: string, bin: string | undefined, nodeArgs: string[]): Promise<Path> {
  const dir = await mkdtemp(join(tmpdir(), 'switchyard-hot-'));
  await copyFile(join(rig.dataDir, 'settings.json'), join(dir, 'settings.json'));
  const server = await startServeChild({ dataDir: dir, env: rig.env, nodeArgs, bin });
  return {
    label,
    target: makeTarget('proxy', server.origin, '/v1/chat/completions', {}),
    pid: server.pid,
    child: server.child,
    stop: async () => {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export async function hotPathPhase(options: HotPathOptions): Promise<string[]> {
  const { log } = options;
  const rig = await startRig();
  const body = rig.chatBody(false);
  const paths: Path[] = [await serveOf(rig, 'switchyard', undefined, ['--import', ALLOC_PROBE])];
  if (options.baselineBin) paths.push(await serveOf(rig, 'baseline', options.baselineBin, ['--import', ALLOC_PROBE]));
  const minimal = await startNullProxy(rig.sim.url, rig.token, rig.chatPath, ['--import', ALLOC_PROBE]);
  paths.push({ label: 'minimal', target: makeTarget('reference', minimal.origin, '/v1/chat/completions', {}), pid: minimal.pid, child: minimal.child, stop: () => minimal.stop() });

  const all: Array<{ label: string; target: Target; pid: number | null }> = [{ label: 'direct', target: rig.direct, pid: null }, ...paths];
  log('warming up');
  for (const p of all) await closedLoop(p.target, 8, options.quick ? 1_500 : 3_000, () => body);

  const rounds = options.quick ? 2 : 3;
  const blockMs = options.quick ? 2_000 : 3_000;
  log(`saturated: 64 closed-loop clients, ${rounds} rounds of ${blockMs} ms`);
  const sat = new Map<string, { completed: number; seconds: number; cpuMs: number; errors: number }>();
  for (let round = 0; round < rounds; round++) {
    for (const p of all) {
      const before = p.pid ? (cpuMsOf(p.pid) ?? 0) : 0;
      const r = await closedLoop(p.target, 64, blockMs, () => body);
      const a = sat.get(p.label) ?? { completed: 0, seconds: 0, cpuMs: 0, errors: 0 };
      a.completed += r.completed;
      a.seconds += r.seconds;
      a.errors += r.failed;
      a.cpuMs += p.pid ? (cpuMsOf(p.pid) ?? 0) - before : 0;
      sat.set(p.label, a);
      await drain();
    }
  }
  log('latency at 500 req/s');
  const lat = new Map<string, number[]>();
  for (let round = 0; round < rounds; round++) {
    for (const p of all) {
      const samples = await openLoop(p.target, 500, blockMs, () => ({ body }));
      const list = lat.get(p.label) ?? [];
      for (const s of samples) if (s.status === 200) list.push(s.latencyMs);
      lat.set(p.label, list);
      await drain();
    }
  }
  log('heap allocated per request: 500 req/s for 2 s, each proxy');
  const kb = new Map<string, number>();
  for (const p of paths) {
    const r = await allocationPerRequest(p.child, async () => (await openLoop(p.target, 500, 2_000, () => ({ body }))).filter((x) => x.status === 200).length);
    kb.set(p.label, r.perRequest / 1024);
  }

  let profile: ProfileSummary | null = null;
  if (options.profile) {
    log('profiling the serve process (node --cpu-prof) under the saturated load');
    const dir = await mkdtemp(join(tmpdir(), 'switchyard-prof-'));
    const profiled = await serveOf(rig, 'profiled', undefined, ['--cpu-prof', '--cpu-prof-dir', dir]);
    await closedLoop(profiled.target, 8, 3_000, () => body);
    const fromUs = Number(process.hrtime.bigint() / 1000n);
    await closedLoop(profiled.target, 64, 6_000, () => body);
    const toUs = Number(process.hrtime.bigint() / 1000n);
    await profiled.target.pool.close();
    await profiled.stop();
    profile = await readProfileFrom(dir, { fromUs, toUs }, 40);
    await rm(dir, { recursive: true, force: true });
  }

  let sites: (AllocSites & { requests: number }) | null = null;
  if (options.allocSites) {
    log('allocation sites of the serve process: 500 req/s for 2 s, sampled');
    const sampled = await serveOf(rig, 'sampled', undefined, ['--import', ALLOC_SAMPLER]);
    await closedLoop(sampled.target, 8, 3_000, () => body);
    sites = await allocationSites(sampled.child, async () => (await openLoop(sampled.target, 500, 2_000, () => ({ body }))).filter((x) => x.status === 200).length);
    await sampled.target.pool.close();
    await sampled.stop();
  }

  for (const p of paths) await p.target.pool.close();
  for (const p of paths) await p.stop();
  await rig.close();

  const directP50 = summarize(lat.get('direct') ?? []).p50;
  const figures: PathFigures[] = all.map((p) => {
    const s = sat.get(p.label);
    return {
      label: p.label,
      rps: s ? s.completed / s.seconds : Number.NaN,
      cpuMsPerRequest: s && p.pid ? s.cpuMs / s.completed : Number.NaN,
      kbPerRequest: kb.get(p.label) ?? Number.NaN,
      p50At500: summarize(lat.get(p.label) ?? []).p50 - (p.label === 'direct' ? 0 : directP50),
      errors: s?.errors ?? 0,
    };
  });
  const ref = figures.find((f) => f.label === 'minimal');
  const lines = ['path         req/s (64 clients)  CPU ms/req   KB/req   p50 @500 (added)   errors'];
  for (const f of figures) {
    lines.push(`${f.label.padEnd(12)} ${f.rps.toFixed(0).padStart(8)}            ${f.cpuMsPerRequest.toFixed(3).padStart(6)}     ${f.kbPerRequest.toFixed(1).padStart(6)}   ${f.p50At500.toFixed(3).padStart(8)} ms        ${f.errors}`);
  }
  if (ref) {
    for (const f of figures.filter((x) => x.label !== 'minimal' && x.label !== 'direct')) {
      lines.push(`${f.label} ÷ minimal: throughput ${((f.rps / ref.rps) * 100).toFixed(1)} %, CPU/request ${(f.cpuMsPerRequest / ref.cpuMsPerRequest).toFixed(2)} ×, KB/request ${(f.kbPerRequest / ref.kbPerRequest).toFixed(2)} ×, added p50 @500 ${(f.p50At500 / Math.max(ref.p50At500, 0.05)).toFixed(2)} ×`);
    }
  }
  if (profile) {
    lines.push(`CPU profile under 64 clients (${profile.busyMs} ms busy of ${profile.totalMs} ms), self time by package:`);
    for (const p of profile.byPackage) lines.push(`  ${p.percent.toFixed(1).padStart(5)} %  ${p.frame}`);
    lines.push('Top frames by self time:');
    for (const f of profile.topFrames) lines.push(`  ${f.percent.toFixed(1).padStart(5)} %  ${f.frame}`);
  }
  if (sites) {
    const per = (bytes: number) => `${(bytes / sites!.requests / 1024).toFixed(2)} KB`;
    lines.push(`Allocation sites (sampled, garbage included): ${per(sites.totalBytes)} per request in all; by self size per request:`);
    for (const s of sites.sites) lines.push(`  ${per(s.bytes).padStart(9)}  ${s.frame}`);
  }
  return lines;
}
