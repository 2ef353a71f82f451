/**
 * npm run soak — 10,000 requests (JSON chat, streams, embeddings) through `switchyard serve`
 * (a child process, as users run it) in front of a simulator injecting 10 % 429s of every
 * variant, 5 % 5xx, 2 % connection resets and 1 % hangs. Checks: every request answered with a
 * success or a well-formed error within its deadline; the engine's counters (GET /metrics) equal
 * what the simulator saw and what the client got; no socket or timer left in the server once
 * idle; memory flat after warm-up (heap after a full GC, and RSS). Writes bench/results/soak-<time>.json.
 * Flags: --requests N, --seed N, --no-build.
 */
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startSimulator } from '../main/simulator';
import { describeMachine } from './lib/machine';
import { probeChild, PROBE, type ProbeReading } from './lib/probe-client';
import { reconcile } from './lib/reconcile';
import { settle } from './lib/resources';
import { getText, ROOT, startServeChild } from './lib/serve-child';
import { envForUsers, soakSimulator, soakUsers, writeSoakSettings } from './lib/soak-config';
import { runSoakLoad } from './lib/soak-load';
import { slope } from './lib/stats';

const { values } = parseArgs({ options: { requests: { type: 'string', default: '10000' }, seed: { type: 'string', default: '42' }, 'no-build': { type: 'boolean' } } });
const REQUESTS = Number(values.requests);
const SEED = Number(values.seed);
const TIMEOUTS = { connectMs: 1_000, firstByteMs: 1_500, idleMs: 1_500, totalDeadlineMs: 10_000 };
const DEADLINE_MS = TIMEOUTS.totalDeadlineMs + 3_000;
const WARMUP = 0.2;
const CLIENTS = 32;
const MB = 2 ** 20;
const log = (line: string) => process.stderr.write(`[soak] ${line}\n`);

if (!values['no-build']) {
  const built = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs'), '--main-only', '--if-stale'], { cwd: ROOT, stdio: 'inherit' });
  if (built.status !== 0) throw new Error('build failed');
}

const machine = describeMachine();
const users = soakUsers(8);
const sim = await startSimulator(soakSimulator(users, SEED));
const dataDir = await mkdtemp(join(tmpdir(), 'switchyard-soak-'));
await writeSoakSettings(dataDir, TIMEOUTS, 2_000);
const server = await startServeChild({ dataDir, env: { ...envForUsers(users, sim.url), LOG_LEVEL: 'warn' }, nodeArgs: ['--expose-gc', '--import', PROBE] });
const baseline = await probeChild(server);
log(`serve started in ${server.startupMs.toFixed(0)} ms; ${REQUESTS} requests, seed ${SEED}`);

const readings: Array<{ done: number } & ProbeReading> = [];
const tally = await runSoakLoad({
  origin: server.origin,
  requests: REQUESTS,
  concurrency: CLIENTS,
  streamShare: 0.35,
  embeddingsShare: 0.15,
  deadlineMs: DEADLINE_MS,
  seed: SEED,
  every: 500,
  onProgress: async (done) => {
    const reading = await probeChild(server);
    readings.push({ done, ...reading });
    log(`${done} answered; server RSS ${(reading.rss / MB).toFixed(1)} MB, heap after GC ${(reading.heapUsed / MB).toFixed(1)} MB`);
  },
});

await settle(() => sim.stats().totals.inFlight === 0, 10_000);
const simStats = sim.stats();
const metrics = (await getText(`${server.origin}/metrics`)).text;
const result = reconcile(simStats, metrics, tally);

// Idle again: the client has closed its connections; upstream keep-alives end within the simulator's 10 s.
// No socket may stay open, and no timer per request: at most the pool's one sweep timer, armed for the
// ledger's next expiry (a concurrency cap learned from a 429 is lifted 60 s after the last one).
let idle = await probeChild(server);
const clean = (r: ProbeReading) => (r.handles.TCPSocketWrap ?? 0) === 0 && (r.handles.Timeout ?? 0) <= (baseline.handles.Timeout ?? 0) + 1;
await settle(async () => clean((idle = await probeChild(server))), 20_000);
const stopped = await server.stop();
await sim.close();
await rm(dataDir, { recursive: true, force: true });

const steady = readings.filter((r) => r.done > REQUESTS * WARMUP);
const first = steady[0];
const last = steady.at(-1);
const heapGrowthMb = first && last ? (last.heapUsed - first.heapUsed) / MB : 0;
const rssGrowthMb = first && last ? (last.rss - first.rss) / MB : 0;
const heapSlope = slope(steady.map((r) => [r.done / 1000, r.heapUsed / MB] as const));
const rssSlope = slope(steady.map((r) => [r.done / 1000, r.rss / MB] as const));
const memoryFlat = heapGrowthMb < 5 && heapSlope < 1;
const answeredWell = tally.problems.length === 0 && tally.answers === REQUESTS;
const noLeaks = clean(idle);
const ok = answeredWell && result.ok && noLeaks && memoryFlat && stopped.code === 0;

const summary = {
  at: new Date().toISOString(),
  machine,
  requests: REQUESTS,
  seed: SEED,
  timeouts: TIMEOUTS,
  clientDeadlineMs: DEADLINE_MS,
  tally,
  simulator: simStats.totals,
  reconciliation: result,
  handles: { baseline: baseline.handles, idleAfter: idle.handles, socketsAfter: idle.sockets },
  memory: { readings: readings.map((r) => ({ done: r.done, rssMb: +(r.rss / MB).toFixed(1), heapMb: +(r.heapUsed / MB).toFixed(1) })), heapGrowthMb: +heapGrowthMb.toFixed(2), rssGrowthMb: +rssGrowthMb.toFixed(2), heapSlopeMbPer1000: +heapSlope.toFixed(3), rssSlopeMbPer1000: +rssSlope.toFixed(3) },
  serverExit: stopped,
  verdict: { answeredWell, countersReconcile: result.ok, noLeaks, memoryFlat, ok },
};
await mkdir(join(ROOT, 'bench', 'results'), { recursive: true });
const file = join(ROOT, 'bench', 'results', `soak-${summary.at.replace(/[:.]/g, '-')}.json`);
await writeFile(file, `${JSON.stringify(summary, null, 2)}\n`);

const w = (line = '') => process.stdout.write(`${line}\n`);
w(`\nSwitchyard soak — ${machine.cpuModel}, ${machine.cores} cores, Node ${machine.node}, load average ${machine.loadAverage} at start`);
w(`${tally.answers} of ${REQUESTS} answered in ${tally.seconds} s (${Math.round(tally.answers / tally.seconds)} req/s, ${CLIENTS} clients): ${JSON.stringify(tally.byOutcome)}; slowest ${tally.maxMs} ms, p99 ${tally.p99Ms} ms (client deadline ${DEADLINE_MS} ms)`);
w(`by kind ${JSON.stringify(tally.byKind)}; by status ${JSON.stringify(tally.byStatus)}; error codes ${JSON.stringify(tally.byErrorCode)}`);
w(`simulator: ${simStats.totals.requests} upstream attempts, ${simStats.totals.faults} faults injected, by status ${JSON.stringify(simStats.totals.byStatus)}, 429s by type ${JSON.stringify(simStats.totals.rateLimited)}`);
for (const problem of tally.problems.slice(0, 20)) w(`  PROBLEM ${problem}`);
w('\nCounters (engine vs simulator / client):');
for (const c of result.checks) w(`  ${c.equal ? 'ok ' : 'DIFF'} ${c.name}: ${c.engine} vs ${c.other}`);
w(`  429 limit types as the engine read them vs injected: ${Object.entries(result.rateLimitTypes).map(([t, v]) => `${t} ${v.engine}/${v.simulator}`).join(', ')}`);
w(`\nHandles in the server: at start ${JSON.stringify(baseline.handles)}; idle after the soak ${JSON.stringify(idle.handles)} → ${noLeaks ? 'nothing left behind' : `LEFT BEHIND (sockets ${idle.sockets.join(', ')}; server port ${server.port}, simulator port ${sim.port})`}`);
w(`Memory after warm-up (${Math.round(WARMUP * 100)} %): heap after GC ${first ? (first.heapUsed / MB).toFixed(1) : '?'} → ${last ? (last.heapUsed / MB).toFixed(1) : '?'} MB (${heapGrowthMb >= 0 ? '+' : ''}${heapGrowthMb.toFixed(2)} MB, slope ${heapSlope.toFixed(3)} MB per 1000 requests); RSS ${first ? (first.rss / MB).toFixed(1) : '?'} → ${last ? (last.rss / MB).toFixed(1) : '?'} MB (slope ${rssSlope.toFixed(3)} MB per 1000) → ${memoryFlat ? 'flat' : 'GROWING'} (judged on the heap after a full GC: RSS also moves with the allocator)`);
w(`Server stopped with ${JSON.stringify(stopped)}`);
w(`\n${ok ? 'PASS' : 'FAIL'} — results: ${file}`);
process.exitCode = ok ? 0 : 1;
