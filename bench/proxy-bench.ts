/**
 * npm run bench — Switchyard's overhead against the direct path (issue 7).
 *
 * Upstream: the simulator in its own process, fast mode, speaking Groq's dialect (--upstream github:
 * the retired GitHub Models path the earlier rounds measured). Switchyard: the real
 * `switchyard serve` (bin/switchyard.mjs) in its own process. For scale, a minimal reference proxy
 * (bench/lib/null-proxy.mjs: node:http in, undici out, nothing else) in a third. The client (this
 * process, undici with keep-alive) sends the same load to all three, alternating blocks. Prints a
 * table and writes bench/results/proxy-bench-<timestamp>.json. Flags: --quick (shorter blocks),
 * --profile (profile even when every target is met), --no-build (dist/cli.js is fresh already),
 * --no-scale (skip the scale table: 1 to 1,000 accounts), --no-libraries (skip each library's RSS share),
 * --push-only (only the dashboard push cost with 1,000 accounts; prints it, writes no results file),
 * --startup-only (only start → /health ×5, idle RSS after each, and each library's RSS share unless
 * --no-libraries; prints it, writes no results file),
 * --hot-path-only [--baseline OTHER/bin/switchyard.mjs] [--alloc-sites] (only CPU and heap per request and the added p50
 * at 500 req/s, beside the minimal proxy and optionally another build; prints it, writes no results file).
 */
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRig, startServer } from './lib/bench-setup';
import { readProfileFrom, type ProfileSummary } from './lib/cpu-profile';
import { closedLoop, makeTarget, openLoop } from './lib/load';
import { describeMachine } from './lib/machine';
import { startNullProxy } from './lib/null-proxy';
import { ALLOC_PROBE, allocationPerRequest } from './lib/alloc-client';
import { hotPathPhase } from './lib/hot-path-phase';
import { libraryShares } from './lib/library-rss';
import { latencyPhase, streamPhase, throughputPhase, type Plan } from './lib/phases';
import { describeRedisPhase, redisPhase } from './lib/redis-phase';
import { buildRows, fmtKb, fmtMb, fmtMs, renderGrid, renderTable, TARGETS, type Allocation } from './lib/report';
import { describePush, pushPhase, scalePhase } from './lib/scale-phase';
import { describeStartup, startupPhase } from './lib/startup-phase';
import { ROOT } from './lib/serve-child';

const args = new Set(process.argv.slice(2));
const quick = args.has('--quick');
const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

if (!args.has('--no-build')) {
  log('building dist/cli.js if stale');
  const built = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs'), '--main-only', '--if-stale'], { cwd: ROOT, stdio: 'inherit' });
  if (built.status !== 0) throw new Error('build failed');
}

if (args.has('--push-only')) {
  const push = await pushPhase({ log });
  for (const line of describePush(push)) process.stdout.write(`${line}\n`);
  process.exit(0);
}

if (args.has('--startup-only')) {
  const machine = describeMachine();
  const rig = await startRig();
  const startup = await startupPhase(rig, { runs: 5, libraries: !args.has('--no-libraries'), log });
  await rig.close();
  process.stdout.write(`Node ${machine.node}, ${machine.cores} cores, load average ${machine.loadAverage} at start\n`);
  for (const line of describeStartup(startup)) process.stdout.write(`${line}\n`);
  process.exit(0);
}

if (args.has('--hot-path-only')) {
  const argv = process.argv.slice(2);
  const baselineBin = argv.includes('--baseline') ? (argv[argv.indexOf('--baseline') + 1] ?? null) : null;
  for (const line of await hotPathPhase({ log, quick, profile: args.has('--profile'), allocSites: args.has('--alloc-sites'), baselineBin })) process.stdout.write(`${line}\n`);
  process.exit(0);
}

const plan: Plan = quick ? { blockMs: 1_000, rounds: 2 } : { blockMs: 2_000, rounds: 4 };
const machine = describeMachine();
const rig = await startRig();
const body = rig.chatBody(false);
const streamBody = rig.chatBody(true);

// Start-up: spawn → first 200 from /health, three times (the data folder exists from the second on).
const startupMs: number[] = [];
for (let i = 0; i < 3; i++) {
  const { server, proxy } = await startServer(rig);
  startupMs.push(server.startupMs);
  log(`start-up ${i + 1}: ${server.startupMs.toFixed(1)} ms to /health (banner ${server.bannerMs === null ? 'not printed yet' : `at ${server.bannerMs.toFixed(1)} ms`})`);
  await proxy.pool.close();
  await server.stop();
}

const { server, proxy } = await startServer(rig, ['--import', ALLOC_PROBE]);
const nullProxy = await startNullProxy(rig.sim.url, rig.token, rig.chatPath, ['--import', ALLOC_PROBE]);
const reference = makeTarget('reference', nullProxy.origin, '/v1/chat/completions', {});
await sleep(1_000);
const proxyIdle = await server.rss();
const referenceIdle = await nullProxy.rss();
log(`idle RSS: Switchyard ${fmtMb(proxyIdle)}, minimal proxy ${fmtMb(referenceIdle)}`);
let proxyPeak = proxyIdle;
const sampler = setInterval(() => void server.rss().then((r) => (proxyPeak = Math.max(proxyPeak, r)), () => undefined), 250);

const targets = [rig.direct, reference, proxy];
// Warm-up: let V8 optimise the hot paths of every process before anything is counted.
log('warming up');
for (const target of targets) await closedLoop(target, 8, quick ? 1_500 : 3_000, () => body);
log('latency at 100 req/s');
const at100 = await latencyPhase(targets, 100, plan, body);
log('latency at 500 req/s');
const at500 = await latencyPhase(targets, 500, plan, body);
log('streams: 50 a second, 10 chunks 2 ms apart');
const streams = await streamPhase(targets, rig.sim, 50, plan, streamBody, { chunks: 10, chunkDelayMs: 2 });
log('saturated throughput: 64 closed-loop clients');
const throughput = await throughputPhase(targets, 64, { blockMs: quick ? 2_000 : 4_000, rounds: 2 }, body, { sim: rig.sim.pid, proxies: { proxy: server.pid, reference: nullProxy.pid } });
log('heap allocated per request: 500 req/s for 2 s, each proxy');
const allocOf = async (target: typeof proxy, child: typeof server.child) => {
  const r = await allocationPerRequest(child, async () => (await openLoop(target, 500, 2_000, () => ({ body }))).filter((x) => x.status === 200).length);
  return { perRequest: r.perRequest, requests: r.requests, scavenges: r.scavenges, gcMs: r.gcMs };
};
const allocation: Allocation = { proxy: await allocOf(proxy, server.child), reference: await allocOf(reference, nullProxy.child) };
log(`allocation: Switchyard ${fmtKb(allocation.proxy?.perRequest ?? Number.NaN)} per request, minimal proxy ${fmtKb(allocation.reference?.perRequest ?? Number.NaN)}`);
clearInterval(sampler);
await sleep(2_000);
const proxyAfter = await server.rss();
await Promise.all([proxy.pool.close(), reference.pool.close()]);
const stopped = await server.stop();
await nullProxy.stop();
log('latency at 100 req/s: the Redis quota store against the in-memory one');
const redisStore = await redisPhase(rig, body, plan);

const rows = buildRows({ at100, at500, streams, throughput, allocation, rss: { proxyIdle, proxyPeak, proxyAfter, referenceIdle }, startupMs });

let libraries: ReturnType<typeof libraryShares> | null = null;
if (!args.has('--no-libraries')) {
  log("each library's RSS share (a fresh node per library)");
  libraries = libraryShares();
}
let scale: Awaited<ReturnType<typeof scalePhase>> | null = null;
if (!args.has('--no-scale')) {
  log('scale: 1, 10, 100 and 1,000 accounts over 5 providers and 20 routes');
  scale = await scalePhase({ blockMs: quick ? 1_000 : 2_000, rounds: quick ? 2 : 3, log });
}

// Where a latency or throughput target is missed, profile the server under the same loads.
let profile: ProfileSummary | null = null;
const missedHotPath = rows.some((r) => r.met === false && !r.metric.startsWith('RSS') && !r.metric.startsWith('start'));
if (missedHotPath || args.has('--profile')) {
  log('profiling the serve process (node --cpu-prof) under 500 req/s and the saturated load');
  const dir = await mkdtemp(join(tmpdir(), 'switchyard-prof-'));
  const profiled = await startServer(rig, ['--cpu-prof', '--cpu-prof-dir', dir]);
  await closedLoop(profiled.proxy, 8, 3_000, () => body);
  // Only samples taken under load count (V8's profile clock is CLOCK_MONOTONIC, as hrtime).
  const fromUs = Number(process.hrtime.bigint() / 1000n);
  await openLoop(profiled.proxy, 500, 3_000, () => ({ body }));
  await closedLoop(profiled.proxy, 64, 3_000, () => body);
  const toUs = Number(process.hrtime.bigint() / 1000n);
  await profiled.proxy.pool.close();
  await profiled.server.stop();
  profile = await readProfileFrom(dir, { fromUs, toUs });
  await rm(dir, { recursive: true, force: true });
}

const result = { at: new Date().toISOString(), machine, quick, plan, startupMs, rss: { proxyIdle, proxyPeak, proxyAfter, referenceIdle }, latency: [at100, at500], streams, throughput, allocation, libraries, scale, redisStore, serverExit: stopped, targets: TARGETS, rows, profile };
await mkdir(join(ROOT, 'bench', 'results'), { recursive: true });
const file = join(ROOT, 'bench', 'results', `proxy-bench-${result.at.replace(/[:.]/g, '-')}.json`);
await writeFile(file, `${JSON.stringify(result, null, 2)}\n`);
await rig.close();

/** Issue 16's "flat as accounts grow" (O(1) or O(log n) per request), read as at most this growth from 1 to 1,000 accounts in one run. */
const SCALE_FLAT = 1.5;
const w = (line = '') => process.stdout.write(`${line}\n`);
w(`\nSwitchyard proxy bench — ${machine.cpuModel}, ${machine.cores} cores, ${machine.memoryGb} GB, ${machine.os}, Node ${machine.node}, load average ${machine.loadAverage} at start`);
if (machine.loadAverage > machine.cores / 2) w(`Note: other work was running (load average ${machine.loadAverage} on ${machine.cores} cores); numbers are noisier than on an idle machine.`);
w(`Latencies are per request, send to last byte; "added" is the path's percentile minus direct's. Chunk delay: simulator write() to client arrival.`);
w(`Ratios to the minimal proxy take its added figure as at least 0.05 ms (a difference of percentiles can be ≤ 0 in a noisy run).\n`);
w(renderTable(rows));
const missed = rows.filter((r) => r.met === false).map((r) => r.metric);
w(`\nTargets met: ${rows.filter((r) => r.met === true).length} of ${rows.filter((r) => r.met !== null).length}${missed.length ? `; not met: ${missed.join('; ')}` : ''}`);
if (libraries) {
  w(`\nRSS by library, each imported alone into a fresh node (bare node ${fmtMb(libraries.bareNode)}; shares overlap; dist/cli.js and the serve chunk imported, not run: +${fmtMb(libraries.bundle)}):`);
  w(renderGrid(['library', 'RSS above bare node', 'loaded by serve'], libraries.libraries.map((l) => [l.name, `+${fmtMb(l.bytes)}`, l.loaded])));
}
if (scale) {
  w(`\nScale: 5 providers, 20 routes (5 targets each), requests spread over the 20 routes; CPU of the serve process per request under 16 closed-loop clients; added p50 at ${scale.rate} req/s against the simulator direct:`);
  w(renderGrid(['accounts', 'CPU per request', 'added p50', 'errors', 'idle RSS', 'start → /health'], scale.rows.map((r) => [String(r.accounts), fmtMs(r.cpuPerRequestMs), fmtMs(r.addedP50Ms), `${r.errors} of ${r.requests}`, fmtMb(r.idleRss), fmtMs(r.startupMs)])));
  const flat = scale.growth.cpuPerRequest <= SCALE_FLAT && scale.growth.addedP50 <= SCALE_FLAT;
  w(`Growth, 1,000 accounts ÷ 1: CPU per request ${scale.growth.cpuPerRequest.toFixed(2)} ×, added p50 ${scale.growth.addedP50.toFixed(2)} × — target: flat, read as both ≤ ${SCALE_FLAT} × — ${flat ? 'met' : 'NOT met'}`);
  if (scale.push) for (const line of describePush(scale.push)) w(line);
}
const errors = [at100, at500, streams].flatMap((r) => Object.entries(r.paths).map(([name, p]) => `${name} ${p?.errors ?? 0}`));
w(describeRedisPhase(redisStore));
w(`\nNon-200 answers: ${errors.join(', ')}; worst schedule lag ${Math.max(at100.maxLagMs, at500.maxLagMs).toFixed(3)} ms; serve exited ${JSON.stringify(stopped)}`);
if (profile) {
  w(`\nCPU profile of the serve process under load (${profile.busyMs} ms busy of ${profile.totalMs} ms), self time by package:`);
  for (const p of profile.byPackage) w(`  ${p.percent.toFixed(1).padStart(5)} %  ${p.frame}`);
  w('Top frames by self time:');
  for (const f of profile.topFrames) w(`  ${f.percent.toFixed(1).padStart(5)} %  ${f.frame}`);
}
w(`\nResults: ${file}`);
