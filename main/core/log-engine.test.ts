import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from './engine';
import type { Engine } from './engine-types';
import { createLogger } from './log';
import { startSimulator, type Simulator } from '../simulator';
import { ALICE, BOB } from './test-support/harness';

const API_KEY = 'sk-switchyard-log-test-0123456789abcdef';

/** One run the way `switchyard serve` wires it: the logger's startId is the engine's. */
async function run(dataDir: string, sim: Simulator, lines: string[]): Promise<{ engine: Engine; origin: string }> {
  let startId = 'unknown';
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  const logger = createLogger({ startId: () => startId, level: 'debug', destination });
  const engine = await createEngine({
    dataDir,
    env: { GITHUB_TOKEN: ALICE.token, GITHUB_TOKEN2: BOB.token, GITHUB_MODELS_BASE_URL: sim.url, GITHUB_API_BASE_URL: sim.url, SWITCHYARD_API_KEY: API_KEY },
    overrides: { host: '127.0.0.1', port: 0 },
    logger,
  });
  startId = engine.snapshot().startId;
  await engine.start();
  return { engine, origin: `http://127.0.0.1:${engine.snapshot().proxy.port}` };
}

const parse = (lines: string[]) => lines.map((l) => JSON.parse(l) as Record<string, unknown>);

describe('the log of two runs on one data folder', () => {
  let sim: Simulator;
  let dataDir: string;
  const first: string[] = [];
  const second: string[] = [];
  let ids: [string, string];
  let adminKey = '';

  beforeAll(async () => {
    sim = await startSimulator({ users: [ALICE, BOB] });
    dataDir = await mkdtemp(join(tmpdir(), 'switchyard-log-'));
    const a = await run(dataDir, sim, first);
    const chat = (origin: string) =>
      fetch(`${origin}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${API_KEY}` }, body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] }) });
    sim.control.exhaust('alice', 'openai/gpt-4o-mini');
    expect((await chat(a.origin)).status).toBe(200);
    adminKey = a.engine.adminKey;
    expect((await fetch(`${a.origin}/admin/api/snapshot`, { headers: { authorization: `Bearer ${adminKey}` } })).status).toBe(200);
    await fetch(`${a.origin}/v1/models`, { headers: { authorization: `Bearer ${ALICE.token}` } });
    const firstId = a.engine.snapshot().startId;
    await a.engine.shutdown();
    const b = await run(dataDir, sim, second);
    expect((await chat(b.origin)).status).toBe(200);
    ids = [firstId, b.engine.snapshot().startId];
    await b.engine.shutdown();
  });
  afterAll(async () => {
    await sim.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('marks each start with one restart line carrying that run’s startId', () => {
    expect(ids[0]).not.toBe(ids[1]);
    for (const [lines, id] of [[first, ids[0]], [second, ids[1]]] as const) {
      const restarts = parse(lines).filter((l) => l.tag === 'restart');
      expect(restarts).toHaveLength(1);
      expect(restarts[0]).toMatchObject({ startId: id, level: 30 });
      expect(String(restarts[0]!.msg)).toContain(id);
    }
  });

  it('puts the run’s startId, once, on every line, so runs never mix', () => {
    for (const [lines, id] of [[first, ids[0]], [second, ids[1]]] as const) {
      expect(lines.length).toBeGreaterThan(1);
      for (const line of lines) expect(line.match(/"startId":/g)).toHaveLength(1);
      expect(new Set(parse(lines).map((l) => l.startId))).toEqual(new Set([id]));
    }
  });

  it('logs the 429 and the rotation with greppable tags', () => {
    const tags = new Set(parse(first).map((l) => l.tag));
    expect(tags.has('restart')).toBe(true);
    expect(tags.has('429')).toBe(true);
    const limited = parse(first).find((l) => l.tag === '429');
    expect(limited).toMatchObject({ account: 'GITHUB_TOKEN', limitType: 'UserByModelByDay' });
    expect(parse(first).some((l) => l.tag === 'rotation' && l.from === 'GITHUB_TOKEN' && l.to === 'GITHUB_TOKEN2')).toBe(true);
  });

  it('never writes a token, the client key, the admin key or an authorization header', () => {
    const text = [...first, ...second].join('\n');
    for (const secret of [ALICE.token, BOB.token, API_KEY, adminKey]) {
      expect(secret.length).toBeGreaterThan(20);
      expect(text).not.toContain(secret);
    }
    expect(text).not.toMatch(/Bearer [A-Za-z0-9]/);
  });
});
