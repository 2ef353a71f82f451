import { parseGoDuration } from './duration';

/** A plain non-negative number ("2", "0.5", "14.237"); anything else is garbage. */
export function plainNumber(value: string | undefined | null): number | null {
  if (value === undefined || value === null) return null;
  const trimmed = value.trim();
  if (!/^\+?(\d+(\.\d*)?|\.\d+)$/.test(trimmed)) return null;
  const number = Number(trimmed);
  return Number.isFinite(number) ? number : null;
}

/** `retry-after-ms` (OpenAI, Azure) or Azure SDK's `x-ms-retry-after-ms`: float milliseconds. */
export function retryAfterMsHeader(headers: Record<string, string>): number | null {
  return plainNumber(headers['retry-after-ms']) ?? plainNumber(headers['x-ms-retry-after-ms']);
}

/**
 * `retry-after` as openai-python reads it: float seconds first, then an HTTP date (a date in the
 * past means "now"). Milliseconds from `now`, or null when absent or garbled.
 */
export function retryAfterHeader(value: string | undefined, now: number): number | null {
  const seconds = plainNumber(value);
  if (seconds !== null) return seconds * 1000;
  if (!value || !/[a-z]/i.test(value)) return null;
  // A Go duration ("30s") is not what the spec allows, but it is unambiguous.
  const duration = parseGoDuration(value);
  if (duration !== null) return duration;
  const at = Date.parse(value);
  if (!Number.isFinite(at)) return null;
  return Math.max(0, at - now);
}

export interface HeaderDelay {
  ms: number;
  source: 'retry-after-ms' | 'retry-after';
}

/** The first of `retry-after-ms` and `retry-after` that reads (providers.md §0.1, 1 and 2). */
export function headerDelay(headers: Record<string, string>, now: number): HeaderDelay | null {
  const ms = retryAfterMsHeader(headers);
  if (ms !== null) return { ms, source: 'retry-after-ms' };
  const after = retryAfterHeader(headers['retry-after'], now);
  return after === null ? null : { ms: after, source: 'retry-after' };
}
