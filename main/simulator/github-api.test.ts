import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_CATALOG } from './catalog';
import { startSimulator, type Simulator } from './server';
import { call, chat } from './test-client';

const ALICE = 'ghp_testAlice0000000000000000000000000001';

let sim: Simulator | null = null;
afterEach(async () => {
  await sim?.close();
  sim = null;
});

describe('GET /catalog/models', () => {
  it('serves the bundled snapshot as a bare array, no token needed', async () => {
    const s = (sim = await startSimulator());
    const r = await call(s, '/catalog/models');
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('application/json');
    const body = JSON.parse(r.text);
    expect(Array.isArray(body)).toBe(true);
    expect(body).toEqual(DEFAULT_CATALOG);
    expect(body.map((m: { id: string }) => m.id)).toContain('openai/gpt-4o-mini');
  });

  it('serves an override, and only its models are known', async () => {
    const catalog = [{ id: 'acme/tiny-1', name: 'Tiny', publisher: 'acme', rate_limit_tier: 'low' }];
    const s = (sim = await startSimulator({ catalog, users: [{ token: ALICE, login: 'alice' }] }));
    expect(JSON.parse((await call(s, '/catalog/models')).text)).toEqual(catalog);
    expect((await chat(s, ALICE, { model: 'acme/tiny-1' })).status).toBe(200);
    expect((await chat(s, ALICE, { model: 'openai/gpt-4o-mini' })).status).toBe(404);
  });
});

describe('GET /user', () => {
  it('answers the login behind the bearer', async () => {
    const s = (sim = await startSimulator({ users: [{ token: ALICE, login: 'alice', id: 42, avatarUrl: 'https://example.test/a.png' }] }));
    const r = await call(s, '/user', { token: ALICE });
    expect(r.status).toBe(200);
    expect(JSON.parse(r.text)).toMatchObject({ login: 'alice', id: 42, avatar_url: 'https://example.test/a.png', type: 'User' });
  });

  it('401 Bad credentials for an unknown or removed token', async () => {
    const s = (sim = await startSimulator({ users: [{ token: ALICE, login: 'alice' }] }));
    const unknown = await call(s, '/user', { token: 'ghp_other' });
    expect(unknown.status).toBe(401);
    expect(JSON.parse(unknown.text).message).toBe('Bad credentials');
    s.control.removeUser('ALICE');
    expect((await call(s, '/user', { token: ALICE })).status).toBe(401);
    s.control.addUser({ token: ALICE, login: 'alice2' });
    expect(JSON.parse((await call(s, '/user', { token: ALICE })).text).login).toBe('alice2');
  });

  it('plays scripted faults only when aimed at it', async () => {
    const s = (sim = await startSimulator({ users: [{ token: ALICE, login: 'alice' }] }));
    s.control.failNext('500');
    expect((await call(s, '/user', { token: ALICE })).status).toBe(200);
    s.control.clearFaults();
    s.control.failNext('503', { endpoint: 'user', html: true });
    const r = await call(s, '/user', { token: ALICE });
    expect([r.status, r.headers['content-type']]).toEqual([503, 'text/html']);
    expect((await call(s, '/user', { token: ALICE })).status).toBe(200);
  });
});

describe('other paths and stats hygiene', () => {
  it('404 for unknown paths, counted by endpoint; tokens never appear in stats', async () => {
    const s = (sim = await startSimulator({ users: [{ token: ALICE, login: 'alice' }] }));
    expect((await call(s, '/nope', { token: ALICE })).status).toBe(404);
    await call(s, '/user', { token: ALICE });
    await chat(s, ALICE, { model: 'openai/gpt-4o-mini' });
    const stats = s.stats();
    expect(stats.endpoints).toEqual({ chat: 1, embeddings: 0, catalog: 0, user: 1, unknown: 1 });
    expect(stats.totals.requests).toBe(1);
    expect(JSON.stringify(stats)).not.toContain(ALICE);
    expect(JSON.stringify(s.control.usage('alice', 'openai/gpt-4o-mini'))).not.toContain(ALICE);
  });

  it('keeps a bounded log of recent requests', async () => {
    const s = (sim = await startSimulator({ users: [{ token: ALICE, login: 'alice' }], logSize: 3 }));
    for (let i = 0; i < 8; i++) await chat(s, ALICE, { model: 'openai/gpt-4o-mini', max_tokens: i + 1 });
    const { recent, totals } = s.stats();
    expect(recent).toHaveLength(3);
    expect(totals.requests).toBe(8);
    s.control.resetStats();
    expect(s.stats().totals.requests).toBe(0);
    expect(s.stats().recent).toEqual([]);
  });
});
