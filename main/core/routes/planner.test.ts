import { describe, expect, it } from 'vitest';
import type { Clock } from '../clock';
import { preferTarget, rotate, RoutePlanner } from './planner';
import { resolveModel, type RoutePlan } from './resolve';
import { buildRouteTable } from './table';
import { FOUR_PROVIDERS } from './test-support/catalogs';

const clock: Clock = { now: () => 0, sleep: async () => undefined };
const table = buildRouteTable({ settings: [{ name: 'spread', targets: ['groq/llama-3.3-70b-versatile', 'cerebras/llama-3.3-70b', 'nvidia/meta/llama-3.3-70b-instruct'], spread: true }], catalogs: FOUR_PROVIDERS });
function plan(name: string): RoutePlan {
  const r = resolveModel(table, name, { bareIdFallback: true });
  if (!r.ok) throw r.error;
  return r.plan;
}
const chat = (first: string, extra: object = {}) => ({ messages: [{ role: 'system', content: 'sys' }, { role: 'user', content: first }], ...extra });
const providers = (targets: Array<{ provider: string }>) => targets.map((t) => t.provider);

describe('rotate and preferTarget', () => {
  it('rotates by any turn count, and moves a preferred target to the front', () => {
    expect(rotate(['a', 'b', 'c'], 4)).toEqual(['b', 'c', 'a']);
    expect(rotate([], 3)).toEqual([]);
    const targets = plan('llama-3.3-70b').targets;
    expect(providers(preferTarget(targets, 'openrouter/meta-llama/llama-3.3-70b-instruct:free'))).toEqual(['openrouter', 'groq', 'cerebras', 'nvidia']);
    expect(providers(preferTarget(targets, 'mistral/gone'))).toEqual(['groq', 'cerebras', 'openrouter', 'nvidia']);
  });
});

describe('RoutePlanner', () => {
  it('tries the targets in order, skipping those that lack what the request needs', () => {
    const planner = new RoutePlanner(clock);
    const order = planner.order(plan('llama-3.3-70b'), chat('hi', { tools: [{ type: 'function', function: { name: 'f' } }] }));
    expect(providers(order.targets)).toEqual(['groq', 'cerebras', 'nvidia']);
    expect(order.skipped.map((s) => s.target.provider)).toEqual(['openrouter']);
  });

  it('keeps a conversation on the target that served it, and follows it when it moves', () => {
    const planner = new RoutePlanner(clock);
    const first = planner.order(plan('llama-3.3-70b'), chat('trip'));
    expect(providers(first.targets)[0]).toBe('groq');
    // groq could not serve; cerebras answered.
    planner.served(first, { provider: 'cerebras', model: 'llama-3.3-70b' });
    const next = planner.order(plan('llama-3.3-70b'), { messages: [...chat('trip').messages, { role: 'assistant', content: 'ok' }, { role: 'user', content: 'more' }] });
    expect(providers(next.targets)).toEqual(['cerebras', 'groq', 'openrouter', 'nvidia']);
    // Another conversation still starts at the first target.
    expect(providers(planner.order(plan('llama-3.3-70b'), chat('other')).targets)[0]).toBe('groq');
  });

  it('starts a spread route one target further on each request; a conversation still sticks', () => {
    const planner = new RoutePlanner(clock);
    const starts = [1, 2, 3, 4].map((n) => providers(planner.order(plan('spread'), chat(`q${n}`)).targets)[0]);
    expect(starts).toEqual(['groq', 'cerebras', 'nvidia', 'groq']);
    const order = planner.order(plan('spread'), chat('sticky'));
    planner.served(order, order.targets[0]!);
    expect(providers(planner.order(plan('spread'), chat('sticky')).targets)[0]).toBe(providers(order.targets)[0]);
  });

  it('leaves an explicit `{provider}/{model}` alone and remembers no conversation for it', () => {
    const planner = new RoutePlanner(clock);
    const order = planner.order(plan('groq/llama-3.3-70b-versatile'), chat('x'));
    expect(order.conversation).toBeNull();
    expect(providers(order.targets)).toEqual(['groq']);
  });

  it('records only a target that was in the order', () => {
    const planner = new RoutePlanner(clock);
    const order = planner.order(plan('llama-3.3-70b'), chat('y'));
    planner.served(order, { provider: 'mistral', model: 'nope' });
    expect(providers(planner.order(plan('llama-3.3-70b'), chat('y')).targets)[0]).toBe('groq');
  });
});
