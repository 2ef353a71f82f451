import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SimulatorOptions } from '../../main/simulator';
import { simulatorBaseUrlEnv } from '../../main/simulator/providers/registry';
import type { ProviderLimits, SimModel, SimProviderId } from '../../main/simulator/providers/types';
import { closedLoop, makeTarget, openLoop, type Sample, type Target } from './load';
import { cpuMsOf } from './proc-cpu';
import { startServeChild, type ServeChild } from './serve-child';
import { startSimChild, type SimChild } from './sim-child';
import { fmtKb, fmtMs } from './report';
import { round3, summarize } from './stats';

/**
 * How Switchyard's cost grows with the work (issue 16, "Scale"): the same load with 1, 10, 100 and
 * 1,000 accounts spread over 5 providers, served through 20 routes of a config file; per request
 * the serve process's CPU and the added median (against the simulator answering directly, in
 * alternating blocks). Then, with 1,000 accounts and a busy event log (one model whose accounts
 * keep hitting their limit, so cooldowns and rotations are logged), what the dashboard's push
 * costs: snapshot and event pushes on the admin SSE stream, their bytes, and the time to compose
 * and send a snapshot (GET /admin/api/snapshot).
 */

const PROVIDERS = ['groq', 'cerebras', 'mistral', 'nvidia', 'openai'] as const satisfies readonly SimProviderId[];
type Provider = (typeof PROVIDERS)[number];

/** Models each provider serves in the simulator and in Switchyard's bundled catalog. */
const MODELS: Record<Provider, string[]> = {
  groq: ['llama-3.3-70b-versatile', 'openai/gpt-oss-120b', 'openai/gpt-oss-20b', 'qwen/qwen3.6-27b'],
  cerebras: ['gpt-oss-120b', 'zai-glm-4.7', 'gemma-4-31b'],
  mistral: ['mistral-small-latest', 'mistral-large-latest', 'codestral-latest'],
  nvidia: ['meta/llama-3.3-70b-instruct'],
  openai: ['gpt-4o'],
};
/** The busy model: two requests a minute per account, so under load its accounts cool down one after another. */
const BUSY = { provider: 'groq' as const, model: 'llama-3.1-8b-instant' };
const NO_LIMITS: ProviderLimits = { rps: null, rpm: null, rpd: null, tpm: null, tpd: null, tokensPerMonth: null, neuronsPerDay: null };
const ROUTES = 20;

const providerOf = (i: number): Provider => PROVIDERS[i % PROVIDERS.length] as Provider;
const keyOf = (i: number) => `sk-scale-${providerOf(i)}-${String(i).padStart(4, '0')}-benchkey`;

/** Route r tries all five providers, starting at a different one each, with models varying by route. */
function routes(): Record<string, string[]> {
  const table: Record<string, string[]> = {};
  for (let r = 0; r < ROUTES; r++) {
    table[`scale-route-${r}`] = PROVIDERS.map((_, k) => {
      const provider = PROVIDERS[(r + k) % PROVIDERS.length] as Provider;
      const models = MODELS[provider];
      return `${provider}/${models[r % models.length]}`;
    });
  }
  table['busy-route'] = [`${BUSY.provider}/${BUSY.model}`, 'cerebras/gpt-oss-120b'];
  return table;
}

function simulatorOptions(maxAccounts: number): SimulatorOptions {
  const providers: SimulatorOptions['providers'] = {};
  for (const p of PROVIDERS) {
    const models: SimModel[] = MODELS[p].map((id) => ({ id }));
    if (p === BUSY.provider) models.push({ id: BUSY.model });
    providers[p] = { models, limits: NO_LIMITS, ...(p === BUSY.provider ? { modelLimits: { [BUSY.model]: { rpm: 2 } } } : {}) };
  }
  return {
    latencyMs: 0,
    stream: { chunks: 5, chunkDelayMs: 0 },
    keys: Array.from({ length: maxAccounts }, (_, i) => ({ provider: providerOf(i), key: keyOf(i), owner: `scale-owner-${i}` })),
    providers,
  };
}

export interface ScaleRow {
  accounts: number;
  /** CPU of the serve process per request, ms, under 16 closed-loop clients. */
  startupMs: number;
  requests: number;
  errors: number;
  cpuPerRequestMs: number;
  directP50Ms: number;
  proxyP50Ms: number;
  addedP50Ms: number;
  idleRss: number;
}

export interface PushCost {
  accounts: number;
  loadSeconds: number;
  /** Seconds the stream was counted: the load plus its drain. Rates below are per these seconds. */
  countedSeconds: number;
  requests: number;
  statuses: Record<string, number>;
  /** Snapshot pushes (whole or delta); of them, whole ones. */
  snapshotPushes: number;
  wholeSnapshots: number;
  snapshotBytes: number;
  eventPushes: number;
  eventBytes: number;
  /** Events those pushes carried (a batched push carries several). */
  eventsCarried: number;
  /** The most snapshot pushes within any one second of the load. */
  busiestSecondPushes: number;
  /** Largest single snapshot push, bytes. */
  maxSnapshotBytes: number;
  eventLogSize: number;
  /** GET /admin/api/snapshot: compose + JSON + loopback, ms (median and max of 20). */
  getSnapshotMs: { p50: number; max: number };
  getSnapshotBytes: number;
}

export interface ScaleResult {
  rate: number;
  rows: ScaleRow[];
  /** 1,000 accounts ÷ 1 account. */
  growth: { cpuPerRequest: number; addedP50: number };
  push: PushCost | null;
}

function adminGet(origin: string, path: string, key: string): Promise<{ status: number; bytes: number; ms: number; text: string }> {
  const start = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const req = request(`${origin}${path}`, { agent: false, headers: { authorization: `Bearer ${key}`, connection: 'close' } }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (piece: string) => (text += piece));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes: Buffer.byteLength(text), ms: Number(process.hrtime.bigint() - start) / 1e6, text }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** Listens to the admin SSE stream and counts what it pushes, by event type. */
function listenToStream(origin: string, key: string) {
  const counts = { snapshotPushes: 0, snapshotBytes: 0, eventPushes: 0, eventBytes: 0, maxSnapshotBytes: 0, eventsCarried: 0, wholeSnapshots: 0 };
  const pushTimes: number[] = [];
  let buffer = '';
  let counting = false;
  let window = { from: 0, to: 0 };
  const req = request(`${origin}/admin/api/stream?key=${encodeURIComponent(key)}`, { agent: false }, (res) => {
    res.setEncoding('utf8').on('data', (piece: string) => {
      buffer += piece;
      let end = buffer.indexOf('\n\n');
      while (end >= 0) {
        const message = buffer.slice(0, end + 2);
        buffer = buffer.slice(end + 2);
        const bytes = Buffer.byteLength(message);
        // A snapshot push is whole (`snapshot`) or what changed (`delta`, since the stream sends deltas).
        const whole = message.startsWith('event: snapshot');
        if (counting && (whole || message.startsWith('event: delta'))) {
          counts.snapshotPushes++;
          if (whole) counts.wholeSnapshots++;
          counts.snapshotBytes += bytes;
          counts.maxSnapshotBytes = Math.max(counts.maxSnapshotBytes, bytes);
          pushTimes.push(performance.now());
        } else if (counting && message.startsWith('event: event')) {
          counts.eventPushes++;
          counts.eventBytes += bytes;
          // One event per push, or (batched) an array of them.
          const data = message.slice(message.indexOf('data: ') + 6).trim();
          counts.eventsCarried += data.startsWith('[') ? (JSON.parse(data) as unknown[]).length : 1;
        }
        end = buffer.indexOf('\n\n');
      }
    });
    res.on('error', () => undefined);
  });
  req.on('error', () => undefined);
  req.end();
  /** The most snapshot pushes that arrived within any one second. */
  const busiestSecond = () => {
    let most = 0;
    for (let i = 0, j = 0; j < pushTimes.length; j++) {
      while ((pushTimes[j] as number) - (pushTimes[i] as number) >= 1_000) i++;
      most = Math.max(most, j - i + 1);
    }
    return most;
  };
  return {
    counts,
    busiestSecond,
    /** Seconds the stream was counted (the load and its drain: longer than the load's nominal seconds). */
    seconds: () => (window.to - window.from) / 1000,
    start: () => {
      counting = true;
      window = { from: performance.now(), to: 0 };
    },
    stop: () => {
      counting = false;
      window.to = performance.now();
      req.destroy();
    },
  };
}

const chat = (model: string) => JSON.stringify({ model, messages: [{ role: 'user', content: 'Say hello.' }], max_tokens: 16 });

interface Setup {
  sim: SimChild;
  dir: string;
}

async function startServe(setup: Setup, accounts: number, nodeArgs: string[] = []): Promise<ServeChild> {
  const dataDir = await mkdtemp(join(setup.dir, `data-${accounts}-`));
  await writeFile(join(dataDir, 'settings.json'), JSON.stringify({ maxWaitMs: 0 }));
  const config = { accounts: Array.from({ length: accounts }, (_, i) => ({ id: `scale-${i}`, provider: providerOf(i), key: `\${SCALE_KEY_${i}}` })), routes: routes() };
  const configFile = join(setup.dir, `config-${accounts}.json`);
  await writeFile(configFile, JSON.stringify(config));
  const env: Record<string, string> = { ...simulatorBaseUrlEnv(setup.sim.url), SWITCHYARD_CONFIG: configFile };
  for (let i = 0; i < accounts; i++) env[`SCALE_KEY_${i}`] = keyOf(i);
  return startServeChild({ dataDir, env, nodeArgs, startTimeoutMs: 60_000 });
}

/** One serve child over the scale simulator, for probing by hand (scratch scripts). */
export async function scaleServer(accounts: number, nodeArgs: string[] = []): Promise<{ server: ServeChild; sim: SimChild; close(): Promise<void> }> {
  const sim = await startSimChild(simulatorOptions(accounts));
  const dir = await mkdtemp(join(tmpdir(), 'switchyard-scale-'));
  const server = await startServe({ sim, dir }, accounts, nodeArgs);
  return { server, sim, close: async () => { await server.stop(); await sim.close(); await rm(dir, { recursive: true, force: true }); } };
}

export async function scalePhase(options: { counts?: number[]; rate?: number; blockMs?: number; rounds?: number; nodeArgs?: string[]; log?: (line: string) => void } = {}): Promise<ScaleResult> {
  const counts = options.counts ?? [1, 10, 100, 1000];
  const rate = options.rate ?? 200;
  const blockMs = options.blockMs ?? 2_000;
  const rounds = options.rounds ?? 3;
  const log = options.log ?? (() => undefined);
  const max = Math.max(...counts);
  const sim = await startSimChild(simulatorOptions(max));
  const dir = await mkdtemp(join(tmpdir(), 'switchyard-scale-'));
  const setup = { sim, dir };
  const direct = makeTarget('direct', `${sim.url}`, '/groq/openai/v1/chat/completions', { authorization: `Bearer ${keyOf(0)}` });
  const directBody = chat(MODELS.groq[0] as string);
  const rows: ScaleRow[] = [];
  let push: PushCost | null = null;
  try {
    for (const accounts of counts) {
      const server = await startServe(setup, accounts, options.nodeArgs);
      const proxy: Target = makeTarget('proxy', server.origin, '/v1/chat/completions', {});
      let n = 0;
      const nextBody = () => chat(`scale-route-${n++ % ROUTES}`);
      try {
        await closedLoop(proxy, 8, 2_000, nextBody);
        await closedLoop(direct, 8, 1_000, () => directBody);
        await new Promise((resolve) => setTimeout(resolve, 500));
        const idleRss = await server.rss();
        const kept: { direct: Sample[]; proxy: Sample[] } = { direct: [], proxy: [] };
        let cpu = 0;
        let closedDone = 0;
        for (let round = 0; round <= rounds; round++) {
          const d = await openLoop(direct, rate, blockMs, () => ({ body: directBody }));
          const p = await openLoop(proxy, rate, blockMs, () => ({ body: nextBody() }));
          // CPU per request under a steady closed-loop load (at a low open-loop rate, wake-ups dominate).
          const before = cpuMsOf(server.pid) ?? 0;
          const closed = await closedLoop(proxy, 16, blockMs, nextBody);
          const used = (cpuMsOf(server.pid) ?? 0) - before;
          if (round === 0) continue;
          kept.direct.push(...d);
          kept.proxy.push(...p);
          cpu += used;
          closedDone += closed.completed;
        }
        const ok = (list: Sample[]) => list.filter((s) => s.status === 200).map((s) => s.latencyMs);
        const directP50 = summarize(ok(kept.direct)).p50;
        const proxyOk = ok(kept.proxy);
        const proxyP50 = summarize(proxyOk).p50;
        const row: ScaleRow = {
          accounts,
          startupMs: round3(server.startupMs),
          requests: kept.proxy.length,
          errors: kept.proxy.length - proxyOk.length,
          cpuPerRequestMs: round3(cpu / Math.max(1, closedDone)),
          directP50Ms: round3(directP50),
          proxyP50Ms: round3(proxyP50),
          addedP50Ms: round3(proxyP50 - directP50),
          idleRss,
        };
        rows.push(row);
        log(`scale ${accounts} accounts: CPU ${row.cpuPerRequestMs} ms/request, added p50 ${row.addedP50Ms} ms, ${row.errors} errors, start-up ${row.startupMs.toFixed(0)} ms`);
        if (accounts === max) push = await pushCost(server, accounts, rate, log);
      } finally {
        await proxy.pool.close();
        await server.stop();
      }
    }
  } finally {
    await direct.pool.close();
    await sim.close();
    await rm(dir, { recursive: true, force: true });
  }
  const first = rows[0];
  const last = rows.at(-1);
  const growth = first && last ? { cpuPerRequest: round3(last.cpuPerRequestMs / first.cpuPerRequestMs), addedP50: round3(last.addedP50Ms / Math.max(first.addedP50Ms, 0.01)) } : { cpuPerRequest: Number.NaN, addedP50: Number.NaN };
  return { rate, rows, growth, push };
}

/** Only the push cost (`npm run bench -- --push-only`): one serve child with `accounts` accounts, warmed, then its dashboard stream under the busy route. */
export async function pushPhase(options: { accounts?: number; rate?: number; log?: (line: string) => void } = {}): Promise<PushCost> {
  const accounts = options.accounts ?? 1000;
  const rate = options.rate ?? 200;
  const log = options.log ?? (() => undefined);
  const { server, close } = await scaleServer(accounts);
  try {
    const proxy = makeTarget('proxy', server.origin, '/v1/chat/completions', {});
    let n = 0;
    await closedLoop(proxy, 8, 2_000, () => chat(`scale-route-${n++ % ROUTES}`));
    await proxy.pool.close();
    return await pushCost(server, accounts, rate, log);
  } finally {
    await close();
  }
}

/** The dashboard's stream while the busy route fills the event log. */
async function pushCost(server: ServeChild, accounts: number, rate: number, log: (line: string) => void): Promise<PushCost> {
  const adminKey = (await readFile(join(server.dataDir, 'admin.key'), 'utf8')).trim();
  const stream = listenToStream(server.origin, adminKey);
  await new Promise((resolve) => setTimeout(resolve, 500));
  const busy = makeTarget('proxy', server.origin, '/v1/chat/completions', {});
  const loadMs = 4_000;
  stream.start();
  const samples = await openLoop(busy, rate, loadMs, () => ({ body: chat('busy-route') }));
  stream.stop();
  await busy.pool.close();
  const statuses: Record<string, number> = {};
  for (const s of samples) statuses[String(s.status)] = (statuses[String(s.status)] ?? 0) + 1;
  const gets: number[] = [];
  let getBytes = 0;
  for (let i = 0; i < 20; i++) {
    const got = await adminGet(server.origin, '/admin/api/snapshot', adminKey);
    gets.push(got.ms);
    getBytes = got.bytes;
  }
  const events = await adminGet(server.origin, '/admin/api/events?limit=5000', adminKey);
  const eventLogSize = events.status === 200 ? (JSON.parse(events.text) as unknown[]).length : -1;
  const g = summarize(gets);
  const c = stream.counts;
  log(`push cost, ${accounts} accounts: ${c.snapshotPushes} snapshot pushes (${c.snapshotBytes} bytes), ${c.eventPushes} event pushes in ${loadMs / 1000} s; GET snapshot ${round3(g.p50)} ms, ${getBytes} bytes`);
  return {
    accounts,
    loadSeconds: loadMs / 1000,
    countedSeconds: round3(stream.seconds()),
    requests: samples.length,
    statuses,
    ...c,
    busiestSecondPushes: stream.busiestSecond(),
    eventLogSize,
    getSnapshotMs: { p50: round3(g.p50), max: round3(g.max) },
    getSnapshotBytes: getBytes,
  };
}

/** The push-cost lines of the report. */
export function describePush(p: PushCost): string[] {
  return [
    `Dashboard push with ${p.accounts} accounts and a busy event log (one model at 2 requests a minute per account, ${p.requests} requests in ${p.loadSeconds} s, answers ${JSON.stringify(p.statuses)}):`,
    `  snapshot pushes ${p.snapshotPushes} (${p.wholeSnapshots} whole, the rest deltas) in ${p.countedSeconds.toFixed(1)} s counted (${(p.snapshotPushes / p.countedSeconds).toFixed(1)}/s), ${fmtKb(p.snapshotBytes / Math.max(1, p.snapshotPushes))} each (largest ${fmtKb(p.maxSnapshotBytes)}), ${fmtKb(p.snapshotBytes / p.countedSeconds)}/s`,
    `  busiest second: ${p.busiestSecondPushes} snapshot pushes`,
    `  event pushes ${p.eventPushes} (${(p.eventPushes / p.countedSeconds).toFixed(1)}/s) carrying ${p.eventsCarried} events, ${fmtKb(p.eventBytes / Math.max(1, p.eventPushes))} each; event log holds ${p.eventLogSize} events (read back, at most 5,000)`,
    `  GET /admin/api/snapshot (compose + JSON + loopback): p50 ${fmtMs(p.getSnapshotMs.p50)}, max ${fmtMs(p.getSnapshotMs.max)}, ${fmtKb(p.getSnapshotBytes)}`,
  ];
}
