import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleCli, type CliBundle } from '../../bench/lib/cli-bundle';
import { freePort, probe } from '../../bench/lib/serve-child';
import { mulberry32 } from '../simulator/prng';
import { startSimulator, type Simulator, type SimUser } from '../simulator';

/**
 * Crash safety of the whole server: `switchyard serve` (a child process) is killed with SIGKILL 20
 * times while requests flow and the admin API adds accounts and saves settings. Every restart must
 * load cleanly (listening, /health ok, nothing set aside as *.corrupt-*), and every acknowledged
 * write must be there: each account added with 200 {ok: true}, and the last setting saved with
 * 200 (or a later save that landed without its acknowledgement).
 */

const ROUNDS = 20;
const SEED = Number(process.env.CRASH_SEED ?? Date.now() % 100_000);
const users: SimUser[] = Array.from({ length: 300 }, (_, i) => ({ token: `ghp_crash${String(i).padStart(3, '0')}${'c'.repeat(28)}Cr`, login: `crash${i}` }));
const ENV_USER = users[0] as SimUser;

let cli: CliBundle;
let sim: Simulator;
let dataDir: string;

beforeAll(async () => {
  [cli, sim, dataDir] = await Promise.all([bundleCli(), startSimulator({ users, limits: { perMinute: 1e9, perDay: 1e9, concurrent: 1e6 } }), mkdtemp(join(tmpdir(), 'switchyard-crash-'))]);
});
afterAll(async () => {
  await Promise.all([cli?.remove(), sim?.close(), dataDir && rm(dataDir, { recursive: true, force: true })]);
});

interface Server {
  child: ChildProcess;
  origin: string;
  output: () => string;
  exited: Promise<NodeJS.Signals | null>;
}

async function startServer(): Promise<Server> {
  const port = await freePort();
  const child = spawn(process.execPath, [cli.file, 'serve', '--port', String(port), '--host', '127.0.0.1'], {
    env: { PATH: process.env.PATH, SWITCHYARD_DATA_DIR: dataDir, GITHUB_TOKEN: ENV_USER.token, GITHUB_MODELS_BASE_URL: sim.url, GITHUB_API_BASE_URL: sim.url, LOG_LEVEL: 'warn', NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.setEncoding('utf8').on('data', (t: string) => (out += t));
  child.stderr?.setEncoding('utf8').on('data', (t: string) => (out += t));
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
  return { child, origin: `http://127.0.0.1:${port}`, output: () => out, exited };
}

/** Polls /health until it answers 200; false if the process died or 20 s passed. */
async function listening(server: Server): Promise<boolean> {
  const end = Date.now() + 20_000;
  while (Date.now() < end && server.child.exitCode === null) {
    if ((await probe(server.origin, '/health', 1_000)) === 200) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return false;
}

interface Acks {
  accounts: string[];
  /** maxWaitMs of the last PATCH answered 200, and of the last one sent. */
  settingAcked: number;
  settingSent: number;
}

/** Traffic and admin writes until `stop` aborts; records what was acknowledged. */
async function underLoad(origin: string, adminKey: string, acks: Acks, nextToken: () => SimUser | null, stop: AbortSignal): Promise<void> {
  const pool = new Pool(origin, { connections: 8 });
  const admin = { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' };
  const json = async (method: 'POST' | 'PATCH', path: string, body: unknown) => {
    const res = await pool.request({ method, path, headers: admin, body: JSON.stringify(body) });
    return { status: res.statusCode, body: (await res.body.json()) as Record<string, unknown> };
  };
  const loop = async (step: () => Promise<void>) => {
    while (!stop.aborted) {
      try {
        await step();
      } catch {
        return; // the server is gone
      }
    }
  };
  const chat = JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
  await Promise.all([
    ...Array.from({ length: 4 }, () => loop(async () => void (await (await pool.request({ method: 'POST', path: '/v1/chat/completions', headers: { 'content-type': 'application/json' }, body: chat })).body.text()))),
    // Two writers add accounts (as two dashboard tabs could), one saves settings, all at once.
    ...Array.from({ length: 2 }, () =>
      loop(async () => {
        const user = nextToken();
        if (!user) return void (await new Promise((resolve) => setTimeout(resolve, 50)));
        const answer = await json('POST', '/admin/api/accounts', { token: user.token, plan: 'pro' });
        if (answer.status === 200 && answer.body.ok === true) acks.accounts.push(String(answer.body.key));
      }),
    ),
    loop(async () => {
      const value = acks.settingSent + 1;
      acks.settingSent = value;
      const answer = await json('PATCH', '/admin/api/settings', { maxWaitMs: value });
      if (answer.status === 200) acks.settingAcked = Math.max(acks.settingAcked, value);
    }),
  ]);
  await pool.destroy();
}

async function adminGet<T>(origin: string, adminKey: string, path: string): Promise<T> {
  const res = await fetch(`${origin}${path}`, { headers: { authorization: `Bearer ${adminKey}`, connection: 'close' } });
  expect(res.status, path).toBe(200);
  return (await res.json()) as T;
}

describe('crash safety of the server', () => {
  it(`loads cleanly and keeps every acknowledged write across ${ROUNDS} SIGKILLs under load`, { timeout: 120_000 }, async () => {
    const rng = mulberry32(SEED);
    const context = (round: number) => `seed ${SEED} (CRASH_SEED), round ${round}`;
    const acks: Acks = { accounts: [], settingAcked: 0, settingSent: 0 };
    let nextUser = 1;
    const nextToken = () => (nextUser < users.length ? (users[nextUser++] as SimUser) : null);
    let adminKey: string | null = null;

    for (let round = 0; round <= ROUNDS; round++) {
      const server = await startServer();
      try {
        expect(await listening(server), `${context(round)}: not listening\n${server.output().slice(-3000)}`).toBe(true);
        const files = await readdir(dataDir);
        expect(files.filter((f) => f.includes('.corrupt-')), `${context(round)}: set aside ${files.join(', ')}`).toEqual([]);
        expect(server.output(), context(round)).not.toMatch(/unreadable/i);

        // The admin key survives (the dashboard URL and the CLI depend on it).
        const key = (await readFile(join(dataDir, 'admin.key'), 'utf8')).trim();
        if (adminKey !== null) expect(key, context(round)).toBe(adminKey);
        adminKey = key;

        // Nothing acknowledged before the kill is lost.
        const settings = await adminGet<{ maxWaitMs: number }>(server.origin, key, '/admin/api/settings');
        if (round > 0) {
          expect(settings.maxWaitMs, `${context(round)}: last acknowledged maxWaitMs ${acks.settingAcked}`).toBeGreaterThanOrEqual(acks.settingAcked);
          expect(settings.maxWaitMs, context(round)).toBeLessThanOrEqual(acks.settingSent);
        }
        acks.settingAcked = acks.settingSent = settings.maxWaitMs;
        const snapshot = await adminGet<{ accounts: Array<{ key: string; plan: string }> }>(server.origin, key, '/admin/api/snapshot');
        const plans = new Map(snapshot.accounts.map((a) => [a.key, a.plan]));
        expect(acks.accounts.filter((k) => !plans.has(k)), `${context(round)}: acknowledged accounts missing`).toEqual([]);
        // Added with plan "pro": an account whose settings entry was lost would fall back to "free".
        expect(acks.accounts.filter((k) => plans.get(k) !== 'pro'), `${context(round)}: acknowledged accounts without their plan`).toEqual([]);
        if (round === ROUNDS) break;

        // Write under load, then kill at a random moment.
        const stop = new AbortController();
        const load = underLoad(server.origin, key, acks, nextToken, stop.signal);
        // Kill only once this round has had an account and a setting acknowledged (so every round
        // puts acknowledged writes at risk, however slow the machine), then at a random moment.
        const accountsBefore = acks.accounts.length;
        const settingBefore = acks.settingAcked;
        const waitUntil = Date.now() + 20_000;
        while ((acks.accounts.length === accountsBefore || acks.settingAcked === settingBefore) && Date.now() < waitUntil) {
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
        await new Promise((resolve) => setTimeout(resolve, Math.floor(rng() * 750)));
        server.child.kill('SIGKILL');
        expect(await server.exited, context(round)).toBe('SIGKILL');
        stop.abort();
        await load;
      } finally {
        if (server.child.exitCode === null && server.child.signalCode === null) {
          server.child.kill('SIGKILL');
          await server.exited;
        }
      }
    }
    // The run did what it claims: accounts were added and settings saved throughout.
    expect(acks.accounts.length, `seed ${SEED}`).toBeGreaterThanOrEqual(ROUNDS);
    expect(acks.settingAcked - 20_000, `seed ${SEED}: settings saved (maxWaitMs starts at its default, 20000)`).toBeGreaterThanOrEqual(ROUNDS);
  });
});
