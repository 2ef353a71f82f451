import { describe, expect, it } from 'vitest';
import type { Strategy, StrategyDef } from '../strategy';
import { ALICE, BOB, GPT41, makeWorld, MINI, type TestWorld } from '../test-env';
import { flatBlock, FLAT_BLOCK_MS } from './flat-block';
import { ideal } from './ideal';
import { liteLlm } from './litellm';
import { oldSystem } from './old-system';
import type { ModelDemand } from '../scenarios';

async function setup(def: StrategyDef, limits: { perMinute?: number; perDay?: number }): Promise<{ world: TestWorld; strategy: Strategy }> {
  const world = makeWorld({ accounts: [ALICE, BOB], limits, latencyMs: 100 });
  return { world, strategy: await def.create(world.env) };
}

/** One request, run to its answer. */
async function ask(world: TestWorld, strategy: Strategy, demand: ModelDemand = MINI) {
  const answer = strategy.handle(world.request(demand));
  await world.clock.run();
  return answer;
}

const logins = (world: TestWorld, from = 0) => world.upstream.log.slice(from).map((c) => `${c.login}:${c.status}`);

describe('(a) old system', () => {
  it('passes three 429s to clients, then switches and blocks the whole token', async () => {
    const { world, strategy } = await setup(oldSystem, { perDay: 2 });
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await ask(world, strategy)).status);
    expect(statuses).toEqual([200, 200, 429, 429, 429]);
    expect(logins(world)).toEqual(['alice:200', 'alice:200', 'alice:429', 'alice:429', 'alice:429']);
    // alice still has gpt-4.1 quota, but her token is blocked for every model.
    expect((await ask(world, strategy, GPT41)).status).toBe(200);
    expect(logins(world, 5)).toEqual(['bob:200']);
  });

  it('starts counting again after a success', async () => {
    const { world, strategy } = await setup(oldSystem, { perMinute: 1 });
    expect((await ask(world, strategy)).status).toBe(200);
    expect((await ask(world, strategy)).status).toBe(429);
    expect((await ask(world, strategy)).status).toBe(429);
    world.clock.at(world.clock.now() + 60_000, () => void 0);
    await world.clock.run();
    expect((await ask(world, strategy)).status).toBe(200);
    expect((await ask(world, strategy)).status).toBe(429);
    expect(logins(world).every((c) => c.startsWith('alice:'))).toBe(true);
  });
});

describe('(b) flat 60 s block', () => {
  it('blocks the token for 60 s on any 429, moves the request on, and retries a daily cap every minute', async () => {
    const { world, strategy } = await setup(flatBlock, { perDay: 1 });
    expect((await ask(world, strategy)).status).toBe(200);
    expect((await ask(world, strategy)).status).toBe(200);
    expect(logins(world)).toEqual(['alice:200', 'alice:429', 'bob:200']);
    // alice is blocked for gpt-4.1 too, although only gpt-4o-mini's day was spent.
    expect((await ask(world, strategy, GPT41)).status).toBe(200);
    expect(logins(world, 3)).toEqual(['bob:200']);
    world.clock.at(world.clock.now() + FLAT_BLOCK_MS, () => void 0);
    await world.clock.run();
    const answer = await ask(world, strategy);
    expect(logins(world, 4)).toEqual(['bob:429', 'alice:429']);
    expect(answer).toEqual({ status: 429, retryAfterSeconds: 60 });
  });
});

describe('(c) LiteLLM-style', () => {
  it('cools (token, model) for retry-after, retries the others, then fails at once without a call', async () => {
    const { world, strategy } = await setup(liteLlm, { perDay: 1 });
    expect((await ask(world, strategy)).status).toBe(200);
    expect((await ask(world, strategy)).status).toBe(200);
    const before = world.upstream.log.length;
    const spent = await ask(world, strategy);
    expect(spent.status).toBe(429);
    expect(spent.retryAfterSeconds).toBeGreaterThan(86_000);
    const cooled = world.upstream.log.length;
    expect(logins(world, before).every((c) => c.endsWith(':429'))).toBe(true);
    expect((await ask(world, strategy)).status).toBe(429);
    expect(world.upstream.log.length).toBe(cooled);
    // Another model on the same tokens is not cooling.
    expect((await ask(world, strategy, GPT41)).status).toBe(200);
  });
});

describe('ideal scheduler', () => {
  it('never earns a 429, waits for a reset within 20 s and refuses beyond it', async () => {
    const { world, strategy } = await setup(ideal, { perMinute: 1, perDay: 100 });
    const start = world.clock.now();
    const three = [0, 1, 2].map(() => strategy.handle(world.request()));
    await world.clock.run();
    expect((await Promise.all(three)).map((a) => a.status)).toEqual([200, 200, 429]);
    // Both minute windows opened at the start; 45 s in, the next opens 15 s later.
    world.clock.at(start + 45_000, () => void 0);
    await world.clock.run();
    const late = strategy.handle(world.request());
    await world.clock.run();
    expect((await late).status).toBe(200);
    expect(world.clock.now()).toBe(start + 60_000 + 100);
    expect(world.upstream.tally.rateLimited).toBe(0);
  });
});
