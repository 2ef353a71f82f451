/** Duration spellings the providers use in headers and messages. */

/** Go's time.Duration.String() style, as Groq and OpenAI send it: `2m59.56s`, `7.66s`, `644ms`, `6m0s`. */
export function goDuration(ms: number): string {
  const total = Math.max(0, ms);
  if (total < 1000) return `${round(total, 0)}ms`;
  const hours = Math.floor(total / 3_600_000);
  const minutes = Math.floor((total % 3_600_000) / 60_000);
  const seconds = (total % 60_000) / 1000;
  const s = `${round(seconds, 3)}s`;
  if (hours > 0) return `${hours}h${minutes}m${s}`;
  if (minutes > 0) return `${minutes}m${s}`;
  return s;
}

/** Float seconds with up to 6 decimals, as Cerebras sends its reset headers (`33011.382867`). */
export function floatSeconds(ms: number): string {
  return String(round(Math.max(0, ms) / 1000, 6));
}

/** Whole seconds, rounded up, at least `min`. */
export function ceilSeconds(ms: number, min = 1): number {
  return Math.max(min, Math.ceil(ms / 1000));
}

function round(n: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
