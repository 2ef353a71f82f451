import { parseGoDuration } from './parse/duration';
import { boundReset } from './parse/bound';
import { plainNumber } from './parse/retry-after';
import { resetAtFromNumber } from './parse/reset-number';
import type { LimitWindow, RemainingHint } from './types';

/** One family of success headers: where the limit, the remaining count and the reset are. */
export interface RemainingSpec {
  window: LimitWindow;
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
    return [{ window: spec.window, limit: plainNumber(headers[spec.limit]), remaining, resetAt: resetOf(spec, headers, now) }];
  });
}
