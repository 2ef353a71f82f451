import { parseGoDuration } from './parse/duration';
import { boundReset } from './parse/bound';
import { plainNumber } from './parse/retry-after';
import { resetAtFromNumber } from './parse/reset-number';
import { limitSignal, PERIOD_MS } from './signal';
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
 * When the next request fits again in a counter a successful answer says is spent. A fixed window:
 * at its reset. A continuously refilling bucket of requests, whose reset is the time to a full
 * refill (Groq, Cerebras, OpenAI): it refills limit/period, so the reset says how much is used,
 * used = (reset − now) · limit / period, and one request fits again once used ≤ limit − 1, at
 * reset − (limit − 1) · period / limit; never later than one request's share of the period from now
 * (a garbled reset cannot hold longer). "Remaining 0" is rounded down: 1,999.3 of 2,000 used has
 * room again in 0.3 of a share, not a whole one; holding the whole share would turn away clients
 * while the provider would have served them. A reset that is not a full refill errs short: the
 * next request's 429 then says how long. Null when it cannot be known: no reset stated, a
 * refilling count of tokens (the next request's size is not known), or of requests with no stated
 * limit or a period no bucket refills over (a month). With no period stated, one share of the
 * reset: what a full bucket waits, and short of a fixed window's reset.
 */
function roomBackAt(hint: RemainingHint, now: number): number | null {
  if (hint.remaining > 0 || hint.resetAt === null || hint.resetAt <= now) return null;
  if (hint.refill === 'window') return hint.resetAt;
  const { period, unit } = hint.window;
  if (unit !== 'requests' || hint.limit === null || hint.limit < 1 || period === 'month') return null;
  // One request's share of the refill: of the period, or with none stated (OpenAI's headers cover
  // whichever window is in force) of what the reset counts, where the formula below gives now + share.
  const share = (period ? PERIOD_MS[period] : hint.resetAt - now) / hint.limit;
  const at = Math.ceil(Math.min(hint.resetAt - (hint.limit - 1) * share, now + share));
  return at > now ? at : null;
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
