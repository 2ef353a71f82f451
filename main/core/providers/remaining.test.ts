import { describe, expect, it } from 'vitest';
import { cerebras } from './cerebras';
import { groq } from './groq';
import { mistral } from './mistral';
import { openai } from './openai';
import { spentSignal } from './remaining';
import type { RemainingHint } from './types';

const now = 1_800_000_000_000;

const hint = (patch: Partial<RemainingHint>): RemainingHint => ({
  scope: 'model',
  window: { period: 'day', unit: 'requests' },
  limit: 1000,
  remaining: 5,
  resetAt: now + 86_400_000,
  refill: 'continuous',
  ...patch,
});

describe('spentSignal (providers.md §1.4: remaining 0 on a success → hold until there is room again)', () => {
  it('is null while every counter has something left', () => {
    expect(spentSignal([hint({ remaining: 1 }), hint({ window: { period: 'minute', unit: 'tokens' }, remaining: 900 })], now, 'Groq')).toBeNull();
    expect(spentSignal([], now, 'Groq')).toBeNull();
  });

  it('a refilling counter of requests has room for one more after reset / limit, not at its full refill', () => {
    // 1,000 a day with nothing left, full again in a day: one request's room is back in 86.4 s.
    const signal = spentSignal([hint({ remaining: 0 }), hint({ window: { period: 'minute', unit: 'tokens' }, remaining: 9000 })], now, 'Groq');
    expect(signal).toMatchObject({ scope: 'model', window: { period: 'day', unit: 'requests' }, resetAt: now + 86_400, source: 'reset-header', clamped: false, limit: 1000 });
    expect(signal?.message).toBe("Groq's rate-limit headers say no requests are left this day (limit 1000).");
  });

  it('reads how much of the last share is used from the reset: 1,999.3 of 2,000 has room again in 0.3 of a share', () => {
    // 2,000 a day refill 43.2 s apart; the reset to a full refill says 1,999.3 are used.
    const share = 43_200;
    const signal = spentSignal([hint({ remaining: 0, limit: 2000, resetAt: now + 1999.3 * share })], now, 'Cerebras');
    expect(signal?.resetAt).toBe(now + Math.ceil(0.3 * share));
    // Exactly limit − 1 used (the reset says so) but remaining rounded to 0: room already, no hold.
    expect(spentSignal([hint({ remaining: 0, limit: 2000, resetAt: now + 1999 * share })], now, 'Cerebras')).toBeNull();
  });

  it('a fixed window has room again at its reset', () => {
    const signal = spentSignal([hint({ remaining: 0, refill: 'window', window: { period: 'minute', unit: 'tokens' }, limit: 500_000, resetAt: now + 40_000 })], now, 'Mistral');
    expect(signal).toMatchObject({ window: { period: 'minute', unit: 'tokens' }, resetAt: now + 40_000, limit: 500_000 });
  });

  it('of two spent counters, the one whose room comes back last', () => {
    const perDay = hint({ remaining: 0, limit: 1000, resetAt: now + 86_400_000 }); // room in 86.4 s
    const perMinute = hint({ remaining: 0, refill: 'window', window: { period: 'minute', unit: 'requests' }, limit: 30, resetAt: now + 40_000 }); // room in 40 s
    expect(spentSignal([perMinute, perDay], now, 'Groq')).toMatchObject({ window: { period: 'day', unit: 'requests' }, resetAt: now + 86_400 });
    expect(spentSignal([perMinute, hint({ remaining: 0, limit: 14_400, resetAt: now + 86_400_000 })], now, 'Groq')).toMatchObject({ window: { period: 'minute', unit: 'requests' }, resetAt: now + 40_000 });
  });

  it('holds nothing when it cannot know when there is room: no reset, one already past, refilling tokens, no limit', () => {
    expect(spentSignal([hint({ remaining: 0, resetAt: null })], now, 'Azure OpenAI')).toBeNull();
    expect(spentSignal([hint({ remaining: 0, resetAt: now })], now, 'Azure OpenAI')).toBeNull();
    // Room for the next request of a token bucket depends on that request's size; its 429 says how long.
    expect(spentSignal([hint({ remaining: 0, window: { period: 'minute', unit: 'tokens' }, limit: 12_000, resetAt: now + 5000 })], now, 'Groq')).toBeNull();
    expect(spentSignal([hint({ remaining: 0, limit: null })], now, 'Groq')).toBeNull();
    expect(spentSignal([hint({ remaining: 0, limit: 0 })], now, 'Groq')).toBeNull();
  });

  it("keeps the hint's scope (Mistral counts per workspace, not per model)", () => {
    const hints = mistral.readRemaining({ 'x-ratelimitbysize-limit-minute': '500000', 'x-ratelimitbysize-remaining-minute': '0', 'ratelimitbysize-reset': '40' }, now);
    expect(spentSignal(hints, now, 'Mistral')).toMatchObject({ scope: 'owner', window: { period: 'minute', unit: 'tokens' }, resetAt: now + 40_000 });
  });

  it("reads Groq's own headers end to end, the reset bounded by its window", () => {
    const headers = { 'x-ratelimit-limit-requests': '1000', 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '24h0m0s', 'x-ratelimit-limit-tokens': '12000', 'x-ratelimit-remaining-tokens': '11000', 'x-ratelimit-reset-tokens': '5s' };
    expect(spentSignal(groq.readRemaining(headers, now), now, groq.name)).toMatchObject({ scope: 'model', window: { period: 'day', unit: 'requests' }, resetAt: now + 86_400, limit: 1000 });
    // A garbled reset beyond the day holds no longer than one request's share of a day.
    const garbled = { ...headers, 'x-ratelimit-reset-requests': '99999h' };
    expect(spentSignal(groq.readRemaining(garbled, now), now, groq.name)?.resetAt).toBe(now + 86_400);
  });

  it("reads Cerebras's and OpenAI's headers the same way (buckets whose reset is a full refill)", () => {
    const cb = { 'x-ratelimit-limit-requests-day': '14400', 'x-ratelimit-remaining-requests-day': '0', 'x-ratelimit-reset-requests-day': '86400' };
    expect(spentSignal(cerebras.readRemaining(cb, now), now, cerebras.name)?.resetAt).toBe(now + 6000);
    const oa = { 'x-ratelimit-limit-requests': '60', 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '1m0s' };
    expect(spentSignal(openai.readRemaining(oa, now), now, openai.name)?.resetAt).toBe(now + 1000);
  });
});
