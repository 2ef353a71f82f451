/**
 * npm run bench — Switchyard's overhead against the direct path (issue 7).
 *
 * Upstream: the GitHub Models simulator in its own process, fast mode. Switchyard: the real
 * `switchyard serve` (bin/switchyard.mjs) in its own process. The client (this process, undici
 * with keep-alive) sends the same load to both, alternating blocks. Prints a table and writes
 * bench/results/proxy-bench-<timestamp>.json. Flags: --quick (shorter blocks), --profile (always
 * profile), --no-build (dist/cli.js is fresh already).
 */
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRig, startServer } from './lib/bench-setup';
import { readProfileFrom, type ProfileSummary } from './lib/cpu-profile';
import { closedLoop, openLoop } from './lib/load';
import { describeMachine } from './lib/machine';
import { latencyPhase, streamPhase, throughputPhase, type Plan } from './lib/phases';
import { fmtMb, fmtMs, renderTable, TARGETS, type Row } from './lib/report';
import { ROOT } from './lib/serve-child';
import { percentile } from './lib/stats';

const args = new Set(process.argv.slice(2));
const quick = args.has('--quick');
const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

if (!args.has('--no-build')) {
  log('building dist/cli.js if stale');
  const built = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs'), '--main-only', '--if-stale'], { cwd: ROOT, stdio: 'inherit' });
  if (built.status !== 0) throw new Error('build failed');
}

const plan: Plan = quick ? { blockMs: 1_000, rounds: 2 } : { blockMs: 2_000, rounds: 5 };
const machine = describeMachine();
const rig = await startRig();
const body = rig.chatBody(false);
const streamBody = rig.chatBody(true);

// Start-up: spawn → first 200 from /health, three times (the data folder exists from the second on).
const startups: number[] = [];
for (let i = 0; i < 3; i++) {
  const { server, proxy } = await startServer(rig);
  startups.push(server.startupMs);
  log(`start-up ${i + 1}: ${server.startupMs.toFixed(1)} ms to /health (banner at ${server.bannerMs?.toFixed(1)} ms)`);
  await proxy.pool.close();
  await server.stop();
}

const { server, proxy } = await startServer(rig);
await sleep(1_000);
const idleRss = await server.rss();
log(`idle RSS ${fmtMb(idleRss)}`);
let peakRss = idleRss;
const sampler = setInterval(() => void server.rss().then((r) => (peakRss = Math.max(peakRss, r)), () => undefined), 250);

const targets = [rig.direct, proxy] as [typeof proxy, typeof proxy];
// Warm-up: let V8 compile the hot paths of all three processes before anything is counted.
log('warming up');
for (const target of targets) await closedLoop(target, 8, quick ? 1_500 : 3_000, () => body);
log('latency at 100 req/s');
const at100 = await latencyPhase(targets, 100, plan, body);
log('latency at 500 req/s');
const at500 = await latencyPhase(targets, 500, plan, body);
log('streams: 50 a second, 10 chunks 2 ms apart');
const streams = await streamPhase(targets, rig.sim, 50, plan, streamBody, { chunks: 10, chunkDelayMs: 2 });
log('saturated throughput: 64 closed-loop clients');
const throughput = await throughputPhase(targets, 64, { blockMs: quick ? 2_000 : 5_000, rounds: 2 }, body, { serve: server.pid, sim: rig.sim.pid });
clearInterval(sampler);
await sleep(2_000);
const afterRss = await server.rss();
await proxy.pool.close();
const stopped = await server.stop();

const cpuText = (ms: number | null) => (ms === null ? 'n/a' : fmtMs(ms));
const startupMs = percentile([...startups].sort((a, b) => a - b), 0.5);
const rows: Row[] = [
  { metric: 'JSON chat @100 req/s p50', direct: fmtMs(at100.direct.p50), proxy: fmtMs(at100.proxy.p50), result: `+${fmtMs(at100.addedP50)}`, target: `≤ ${TARGETS.addedP50Ms} ms`, met: at100.addedP50 <= TARGETS.addedP50Ms },
  { metric: 'JSON chat @100 req/s p99', direct: fmtMs(at100.direct.p99), proxy: fmtMs(at100.proxy.p99), result: `+${fmtMs(at100.addedP99)}`, target: `≤ ${TARGETS.addedP99Ms} ms`, met: at100.addedP99 <= TARGETS.addedP99Ms },
  { metric: 'JSON chat @500 req/s p50', direct: fmtMs(at500.direct.p50), proxy: fmtMs(at500.proxy.p50), result: `+${fmtMs(at500.addedP50)}`, target: `≤ ${TARGETS.addedP50Ms} ms`, met: at500.addedP50 <= TARGETS.addedP50Ms },
  { metric: 'JSON chat @500 req/s p99', direct: fmtMs(at500.direct.p99), proxy: fmtMs(at500.proxy.p99), result: `+${fmtMs(at500.addedP99)}`, target: `≤ ${TARGETS.addedP99Ms} ms`, met: at500.addedP99 <= TARGETS.addedP99Ms },
  { metric: 'proxy-reported overhead @500 p50/p99', direct: '', proxy: `${fmtMs(at500.overheadHeader.p50)} / ${fmtMs(at500.overheadHeader.p99)}`, result: '', target: '', met: null },
  { metric: 'stream chunk delay p50', direct: fmtMs(streams.direct.p50), proxy: fmtMs(streams.proxy.p50), result: `+${fmtMs(streams.addedP50)}`, target: '', met: null },
  { metric: 'stream chunk delay p99', direct: fmtMs(streams.direct.p99), proxy: fmtMs(streams.proxy.p99), result: `+${fmtMs(streams.addedP99)}`, target: `≤ ${TARGETS.chunkP99Ms} ms`, met: streams.addedP99 <= TARGETS.chunkP99Ms },
  { metric: `throughput, ${throughput.clients} clients`, direct: `${throughput.directRps} req/s`, proxy: `${throughput.proxyRps} req/s`, result: `${(throughput.ratio * 100).toFixed(1)} %`, target: `≥ ${TARGETS.throughputRatio * 100} %`, met: throughput.ratio >= TARGETS.throughputRatio },
  { metric: 'CPU per request (serve / simulator)', direct: cpuText(throughput.cpuPerRequest.simDirect), proxy: `${cpuText(throughput.cpuPerRequest.serve)} / ${cpuText(throughput.cpuPerRequest.simProxied)}`, result: '', target: '', met: null },
  { metric: 'RSS idle (serve process)', direct: '', proxy: fmtMb(idleRss), result: '', target: `≤ ${TARGETS.idleRssMb} MB`, met: idleRss <= TARGETS.idleRssMb * 2 ** 20 },
  { metric: 'RSS peak under load / 2 s after', direct: '', proxy: `${fmtMb(peakRss)} / ${fmtMb(afterRss)}`, result: '', target: '', met: null },
  { metric: 'start → /health 200 (median of 3)', direct: '', proxy: fmtMs(startupMs), result: startups.map((s) => s.toFixed(0)).join(', ') + ' ms', target: `≤ ${TARGETS.startupMs} ms`, met: startupMs <= TARGETS.startupMs },
];

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

const result = { at: new Date().toISOString(), machine, quick, plan, startupMs: startups, idleRss, peakRss, afterRss, latency: [at100, at500], streams, throughput, serverExit: stopped, targets: TARGETS, rows, profile };
await mkdir(join(ROOT, 'bench', 'results'), { recursive: true });
const file = join(ROOT, 'bench', 'results', `proxy-bench-${result.at.replace(/[:.]/g, '-')}.json`);
await writeFile(file, `${JSON.stringify(result, null, 2)}\n`);
await rig.close();

process.stdout.write(`\nSwitchyard proxy bench — ${machine.cpuModel}, ${machine.cores} cores, ${machine.memoryGb} GB, ${machine.os}, Node ${machine.node}, load average ${machine.loadAverage} at start\n\n`);
if (machine.loadAverage > machine.cores / 2) process.stdout.write(`Note: other work was running (load average ${machine.loadAverage} on ${machine.cores} cores); numbers are noisier than on an idle machine.\n\n`);
process.stdout.write(`${renderTable(rows)}\n\n`);
process.stdout.write(`Errors (non-200): @100 ${JSON.stringify(at100.errors)}, @500 ${JSON.stringify(at500.errors)}, streams ${JSON.stringify(streams.errors)}, throughput ${JSON.stringify(throughput.errors)}; worst schedule lag ${Math.max(at100.maxLagMs, at500.maxLagMs).toFixed(3)} ms\n`);
if (profile) {
  process.stdout.write(`\nCPU profile of the serve process (${profile.busyMs} ms busy of ${profile.totalMs} ms), self time by package:\n`);
  for (const p of profile.byPackage) process.stdout.write(`  ${p.percent.toFixed(1).padStart(5)} %  ${p.frame}\n`);
  process.stdout.write('Top frames by self time:\n');
  for (const f of profile.topFrames) process.stdout.write(`  ${f.percent.toFixed(1).padStart(5)} %  ${f.frame}\n`);
}
process.stdout.write(`\nResults: ${file}\n`);
