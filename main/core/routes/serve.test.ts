import { describe, expect, it } from 'vitest';
import { ProxyError } from '../errors';
import { VirtualClock } from '../pool/test-support/virtual-clock';
import { RoutePlanner } from './planner';
import { resolveModel } from './resolve';
import { serveRoute, type RouteOutcome, type TargetAttempt } from './serve';
import { buildRouteTable } from './table';
import { FOUR_PROVIDERS } from './test-support/catalogs';
import type { LiveTarget } from './types';
import { RouteTraffic } from './view';

const table = buildRouteTable({ catalogs: FOUR_PROVIDERS });
const plan = (() => {
  const r = resolveModel(table, 'llama-3.3-70b', { bareIdFallback: true });
  if (!r.ok) throw r.error;
  return r.plan;
})();
const chat = (first: string, extra: object = {}) => ({ messages: [{ role: 'user', content: first }], ...extra });

/** Targets answer unless their provider is blocked until a time; every attempt is logged. */
function fakeTargets(clock: VirtualClock, blockedUntil: Record<string, number>) {
  const tried: string[] = [];
  const attempt = async (target: LiveTarget): Promise<TargetAttempt<string>> => {
    tried.push(target.provider);
    const until = blockedUntil[target.provider];
    if (until !== undefined && until > clock.now()) return { ok: false, refusal: { target, reason: 'rate-limited', detail: 'every account is at its limit', resetAt: until } };
    return { ok: true, value: `answer from ${target.provider}` };
  };
  return { tried, attempt };
}

function deps(clock: VirtualClock, maxWaitMs = 0) {
  return { clock, planner: new RoutePlanner(clock), traffic: new RouteTraffic(), maxWaitMs };
}

describe('serveRoute', () => {
  it('is served by the first target, then by the next when the first is blocked, counting the fallback', async () => {
    const clock = new VirtualClock();
    const d = deps(clock);
    const open = fakeTargets(clock, {});
    expect(await serveRoute(plan, chat('a'), open.attempt, d)).toMatchObject({ value: 'answer from groq', fallback: false });
    const blocked = fakeTargets(clock, { groq: clock.now() + 60_000 });
    const served = await serveRoute(plan, chat('b'), blocked.attempt, d);
    expect(served).toMatchObject({ value: 'answer from cerebras', fallback: true, target: { provider: 'cerebras', model: 'llama-3.3-70b' } });
    expect(blocked.tried).toEqual(['groq', 'cerebras']);
    expect(d.traffic.countsOf('llama-3.3-70b', 'cerebras/llama-3.3-70b')).toEqual({ served: 1, fallbacks: 1 });
    expect(d.traffic.latestOf('llama-3.3-70b')).toBe('cerebras/llama-3.3-70b');
  });

  it('tells onServed which target answered and why the ones tried before it could not', async () => {
    const clock = new VirtualClock();
    const outcomes: Array<{ route: string; target: string; passed: string[] }> = [];
    const d = { ...deps(clock), onServed: (o: RouteOutcome) => void outcomes.push({ route: o.route, target: o.target.provider, passed: o.passed.map((p) => `${p.target.provider}:${p.reason}`) }) };
    await serveRoute(plan, chat('a'), fakeTargets(clock, {}).attempt, d);
    await serveRoute(plan, chat('b'), fakeTargets(clock, { groq: clock.now() + 60_000 }).attempt, d);
    expect(outcomes).toEqual([
      { route: 'llama-3.3-70b', target: 'groq', passed: [] },
      { route: 'llama-3.3-70b', target: 'cerebras', passed: ['groq:rate-limited'] },
    ]);
  });

  it('keeps a conversation on the target that took it over, even once the first is free again', async () => {
    const clock = new VirtualClock();
    const d = deps(clock);
    await serveRoute(plan, chat('thread'), fakeTargets(clock, { groq: clock.now() + 60_000 }).attempt, d);
    const later = fakeTargets(clock, {});
    const next = await serveRoute(plan, { messages: [...chat('thread').messages, { role: 'assistant', content: 'x' }, { role: 'user', content: 'y' }] }, later.attempt, d);
    expect(next.target.provider).toBe('cerebras');
    expect(later.tried).toEqual(['cerebras']);
  });

  it('skips targets that lack what the request needs', async () => {
    const clock = new VirtualClock();
    const targets = fakeTargets(clock, { groq: clock.now() + 60_000, cerebras: clock.now() + 60_000 });
    const served = await serveRoute(plan, chat('t', { tools: [{ type: 'function', function: { name: 'f' } }] }), targets.attempt, deps(clock));
    expect(served.target.provider).toBe('nvidia');
    expect(targets.tried).toEqual(['groq', 'cerebras', 'nvidia']);
  });

  it('answers the honest 429 across all targets with the earliest reset when none can serve', async () => {
    const clock = new VirtualClock();
    const now = clock.now();
    const targets = fakeTargets(clock, { groq: now + 3_600_000, cerebras: now + 90_000, nvidia: now + 600_000 });
    const error = await serveRoute(plan, chat('t', { tools: [{ type: 'function', function: { name: 'f' } }] }), targets.attempt, deps(clock)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProxyError);
    expect(error).toMatchObject({ status: 429, retryAfterSeconds: 90 });
    const message = (error as ProxyError).message;
    for (const id of ['groq/llama-3.3-70b-versatile', 'cerebras/llama-3.3-70b', 'nvidia/meta/llama-3.3-70b-instruct']) expect(message).toContain(`${id}: every account is at its limit, resets at`);
    expect(message).toContain('openrouter/meta-llama/llama-3.3-70b-instruct:free does not take tools');
  });

  it('waits for the earliest reset among the targets when it fits the bounded wait, then serves', async () => {
    const clock = new VirtualClock();
    const now = clock.now();
    const targets = fakeTargets(clock, { groq: now + 3_600_000, cerebras: now + 15_000, openrouter: now + 3_600_000, nvidia: now + 3_600_000 });
    const pending = serveRoute(plan, chat('w'), targets.attempt, deps(clock, 20_000));
    await clock.advance(15_000);
    await expect(pending).resolves.toMatchObject({ value: 'answer from cerebras' });
    expect(targets.tried).toEqual(['groq', 'cerebras', 'openrouter', 'nvidia', 'groq', 'cerebras']);
  });

  it('does not wait past the bound', async () => {
    const clock = new VirtualClock();
    const now = clock.now();
    const targets = fakeTargets(clock, { groq: now + 30_000, cerebras: now + 30_000, openrouter: now + 30_000, nvidia: now + 30_000 });
    await expect(serveRoute(plan, chat('w'), targets.attempt, deps(clock, 20_000))).rejects.toMatchObject({ status: 429, retryAfterSeconds: 30 });
    expect(clock.pending).toBe(0);
  });
});

describe('serveRoute, a reset that is due but still refused', () => {
  it('tries again at a short interval within the bound instead of spinning', async () => {
    const clock = new VirtualClock();
    const past = clock.now() - 1;
    let attempts = 0;
    const attempt = async (target: LiveTarget): Promise<TargetAttempt<string>> => {
      attempts++;
      return { ok: false, refusal: { target, reason: 'rate-limited', detail: 'limited', resetAt: past } };
    };
    const pending = serveRoute(plan, chat('z'), attempt, deps(clock, 1_000)).catch((e: unknown) => e);
    await clock.advance(1_000);
    expect(await pending).toMatchObject({ status: 429 });
    expect(attempts).toBe(4 * 5); // the first pass and one every 250 ms for a second
  });
});
