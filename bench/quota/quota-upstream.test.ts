import { describe, expect, it } from 'vitest';
import { rateLimitMessage } from '../../main/simulator';
import { parseRateLimit } from '../../main/core/upstream/rate-limit';
import { call } from './strategy';
import { ALICE, GPT41, makeWorld, O4MINI } from './test-env';

async function settled<T>(world: ReturnType<typeof makeWorld>, promise: Promise<T>): Promise<T> {
  await world.clock.run();
  return promise;
}

describe('QuotaUpstream', () => {
  it('answers 429 as the simulator does, and the engine reads its type and reset', async () => {
    const world = makeWorld({ limits: { perMinute: 1 } });
    await settled(world, call(world.upstream, ALICE.token, world.request()));
    const reply = await settled(world, world.upstream.send('chat', ALICE.token, world.request().body, new AbortController().signal));
    const text = (await reply.body.toArray()).map((c: Buffer) => c.toString()).join('');
    expect(reply.status).toBe(429);
    const wait = Number(reply.headers['retry-after']);
    // The first call opened the minute window 1 s of latency ago; the 429 took 50 ms to come.
    expect(wait).toBe(59);
    const message = rateLimitMessage({ limitType: 'UserByModelByMinute', limit: 1, windowSeconds: 60, waitSeconds: wait });
    expect(JSON.parse(text)).toEqual({ error: { code: 'RateLimitReached', message, details: message } });
    expect(parseRateLimit(reply.headers, text, 60)).toEqual({ limitType: 'UserByModelByMinute', resetSeconds: 59, source: 'x-ratelimit-timeremaining' });
  });

  it('holds the user concurrency slot while a call takes its latency', async () => {
    const world = makeWorld({ latencyMs: 3_000 });
    const req = () => world.request(GPT41);
    // gpt-4.1 on free: 2 at once per user, over all models.
    const first = [call(world.upstream, ALICE.token, req()), call(world.upstream, ALICE.token, req())];
    const third = call(world.upstream, ALICE.token, req());
    world.clock.at(world.clock.now() + 3_000, () => void 0);
    await world.clock.run();
    expect((await Promise.all(first)).map((r) => r.status)).toEqual([200, 200]);
    expect(await third).toEqual({ status: 429, retryAfterSeconds: 0 });
    expect(world.upstream.tally.byLimitType).toEqual({ UserConcurrentRequests: 1 });
    expect((await settled(world, call(world.upstream, ALICE.token, req()))).status).toBe(200);
  });

  it('counts 429s per (user, model, type, window)', async () => {
    const world = makeWorld({ limits: { perMinute: 1 }, latencyMs: 10 });
    for (let i = 0; i < 3; i++) await settled(world, call(world.upstream, ALICE.token, world.request()));
    world.clock.at(world.clock.now() + 60_000, () => void 0);
    await world.clock.run();
    for (let i = 0; i < 2; i++) await settled(world, call(world.upstream, ALICE.token, world.request()));
    const { tally } = world.upstream;
    expect([tally.calls, tally.served, tally.rateLimited]).toEqual([5, 2, 3]);
    expect([...tally.perWindow.values()].sort()).toEqual([1, 2]);
    expect([...tally.perWindow.keys()].every((k) => k.startsWith('alice|openai/gpt-4o-mini|UserByModelByMinute|'))).toBe(true);
  });

  it('answers a bare 403 where the plan has no access, and remembers which call served a request', async () => {
    const world = makeWorld();
    const denied = world.request(O4MINI);
    expect((await settled(world, call(world.upstream, ALICE.token, denied))).status).toBe(403);
    expect(world.upstream.tally.forbidden).toBe(1);
    const ok = world.request();
    await settled(world, call(world.upstream, ALICE.token, ok));
    expect(world.upstream.servedLatency.get(ok.id)).toBe(1000);
    expect(world.upstream.servedLatency.has(denied.id)).toBe(false);
  });
});
