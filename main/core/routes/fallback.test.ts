import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../pool/test-support/virtual-clock';
import { FallbackAnnouncer, fallbackOf, type RouteFallback } from './fallback';
import { model } from './test-support/catalogs';
import type { LiveTarget } from './types';

const groq: LiveTarget = { provider: 'groq', model: 'llama-3.3-70b-versatile', entry: model('llama-3.3-70b-versatile') };
const cerebras: LiveTarget = { provider: 'cerebras', model: 'llama-3.3-70b', entry: model('llama-3.3-70b') };

describe('fallbackOf', () => {
  it('names the first target tried and the one that answered; nothing when the first answered', async () => {
    const clock = new VirtualClock();
    const resetAt = clock.now() + 30_000;
    expect(fallbackOf({ route: 'llama-3.3-70b', target: cerebras, passed: [{ target: groq, reason: 'rate-limited', detail: 'at its limit', resetAt }] })).toEqual({
      route: 'llama-3.3-70b',
      from: 'groq/llama-3.3-70b-versatile',
      to: 'cerebras/llama-3.3-70b',
      reason: 'rate-limited',
      resetsAt: resetAt,
    });
    expect(fallbackOf({ route: 'llama-3.3-70b', target: groq, passed: [] })).toBeNull();
  });
});

describe('FallbackAnnouncer', () => {
  const fallback = (clock: VirtualClock, resetsAt: number | null): RouteFallback => ({ route: 'llama-3.3-70b', from: 'groq/llama-3.3-70b-versatile', to: 'cerebras/llama-3.3-70b', reason: 'rate-limited', resetsAt });

  it('says a fallback once until the first target’s reset, then again', async () => {
    const clock = new VirtualClock();
    const announcer = new FallbackAnnouncer(clock);
    const until = clock.now() + 90_000;
    expect(announcer.note(fallback(clock, until))).toBe(true);
    expect(announcer.note(fallback(clock, until))).toBe(false);
    expect(announcer.note({ ...fallback(clock, until), route: 'LLAMA-3.3-70B' })).toBe(false);
    expect(announcer.note({ ...fallback(clock, until), to: 'nvidia/meta/llama-3.3-70b-instruct' })).toBe(true);
    await clock.advance(89_000);
    expect(announcer.note(fallback(clock, until))).toBe(false);
    await clock.advance(1_000);
    expect(announcer.note(fallback(clock, clock.now() + 60_000))).toBe(true);
  });

  it('without a reset stays quiet for its default, and is news again once the first target served the route', async () => {
    const clock = new VirtualClock();
    const announcer = new FallbackAnnouncer(clock, 10_000);
    expect(announcer.note(fallback(clock, null))).toBe(true);
    await clock.advance(9_999);
    expect(announcer.note(fallback(clock, null))).toBe(false);
    announcer.served('llama-3.3-70b', 'cerebras/llama-3.3-70b');
    expect(announcer.note(fallback(clock, null))).toBe(false);
    announcer.served('llama-3.3-70b', 'groq/llama-3.3-70b-versatile');
    expect(announcer.note(fallback(clock, null))).toBe(true);
  });
});
