import { parseGoDuration } from './parse/duration';
import { boundReset } from './parse/bound';
import { plainNumber } from './parse/retry-after';
import { resetAtFromNumber } from './parse/reset-number';
import { limitSignal } from './signal';
import type { LimitSignal, LimitWindow, RemainingHint } from './types';

/** One family of success headers: where the limit, the remaining count and the reset are. */
export interface RemainingSpec {
  window: LimitWindow;
  /** Default `model`: the counter is the (owner, model)'s. */
  scope?: RemainingHint['scope'];
  /**
   * Default `continuous`: the reset is the time to a full refill, so a hold derived from it is never
   * longer than the counter needs (a fixed window read this way at worst lets the next 429 say when).
   */
  refill?: RemainingHint['refill'];
  limit: string;
  remaining: string;
  reset?: string;
  /** Go durations (Groq, OpenAI) or delta seconds (Cerebras, Mistral). */
  resetFormat?: 'go' | 'seconds';
}

/** The x-ratelimit-{limit,remaining,reset}-{suffix} family most providers send. */
export function xRateLimit(suffix: string, window: LimitWindow, resetFormat: RemainingSpec['resetFormat']): RemainingSpec {
  return {
    window,
    limit: `x-ratelimit-limit-${suffix}`,
    remaining: `x-ratelimit-remaining-${suffix}`,
    ...(resetFormat ? { reset: `x-ratelimit-reset-${suffix}`, resetFormat } : {}),
  };
}

/** A Go duration, or (tolerated) plain seconds: milliseconds from now. */
function goDelay(raw: string | undefined): number | null {
  const seconds = plainNumber(raw);
  return parseGoDuration(raw) ?? (seconds === null ? null : seconds * 1000);
}

function resetOf(spec: RemainingSpec, headers: Record<string, string>, now: number): number | null {
  if (!spec.reset) return null;
  const raw = headers[spec.reset];
  const delay = spec.resetFormat === 'go' ? goDelay(raw) : null;
  const at = spec.resetFormat === 'go' ? (delay === null ? null : now + delay) : resetAtFromNumber(raw, 'delta-s', now);
  return at === null ? null : boundReset(now, at, spec.window.period, 'model').resetAt;
}

/**
 * What a successful answer's rate-limit headers say remains, one hint per family present;
 * garbled numbers are skipped, resets bounded by their window.
 */
export function readRemainingHeaders(headers: Record<string, string>, now: number, specs: readonly RemainingSpec[]): RemainingHint[] {
  return specs.flatMap((spec) => {
    const remaining = plainNumber(headers[spec.remaining]);
    if (remaining === null) return [];
    return [{ scope: spec.scope ?? 'model', window: spec.window, limit: plainNumber(headers[spec.limit]), remaining, resetAt: resetOf(spec, headers, now), refill: spec.refill ?? 'continuous' }];
  });
}

/**
 * When the next request fits again in a counter a successful answer says is spent: a fixed window at
 * its reset; a continuously refilling one of requests when one request's room is back, (reset − now)
 * / limit (Groq's RPD of 1,000: about 86 s, not the day its reset header counts to a full refill).
 * Null when it cannot be known: no reset stated, or a refilling count of tokens (the next request's
 * size is not known; its 429 says how long), or of requests with no stated limit.
 */
function roomBackAt(hint: RemainingHint, now: number): number | null {
  if (hint.remaining > 0 || hint.resetAt === null || hint.resetAt <= now) return null;
  if (hint.refill === 'window') return hint.resetAt;
  if (hint.window.unit !== 'requests' || hint.limit === null || hint.limit < 1) return null;
  return now + Math.ceil((hint.resetAt - now) / hint.limit);
}

/**
 * A counter a successful answer says has nothing left, as the limit signal the next request there
 * would earn as a 429 (providers.md §1.4: "when remaining-requests reaches 0, cool down (org,
 * model) until reset-requests", read per refill kind: see roomBackAt). Of several, the one whose
 * room comes back last. Null when every counter has some left, or when it cannot be known when a
 * spent one has room again: the next request goes, and its 429, if any, says when.
 */
export function spentSignal(hints: readonly RemainingHint[], now: number, provider: string): LimitSignal | null {
  let spent: { hint: RemainingHint; at: number } | null = null;
  for (const hint of hints) {
    const at = roomBackAt(hint, now);
    if (at !== null && (!spent || at > spent.at)) spent = { hint, at };
  }
  if (!spent) return null;
  const { hint, at } = spent;
  const what = hint.window.unit ?? 'quota';
  const when = hint.window.period ? `this ${hint.window.period}` : 'in this window';
  return limitSignal({
    scope: hint.scope,
    window: hint.window,
    now,
    resetAt: at,
    source: 'reset-header',
    ...(hint.limit !== null ? { limit: hint.limit } : {}),
    message: `${provider}'s rate-limit headers say no ${what} are left ${when}${hint.limit !== null ? ` (limit ${hint.limit})` : ''}.`,
  });
}
