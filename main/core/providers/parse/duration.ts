/**
 * Go-style compound durations as Groq and OpenAI write them (`9m38.016s`, `1.984999999s`,
 * `644ms`, `6m0s`, `2h1m`), read over every unit: the whole text must be repeated
 * `<number><unit>` groups, `ms` tried before `m` so `644ms` is not 644 minutes.
 */
const UNIT_MS: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1, us: 0.001, 'µs': 0.001, 'μs': 0.001, ns: 0.000_001 };
const GROUP = /(\d+(?:\.\d+)?|\.\d+)(ms|us|µs|μs|ns|h|m|s)/y;
const WHOLE = /^(?:(?:\d+(?:\.\d+)?|\.\d+)(?:ms|us|µs|μs|ns|h|m|s))+$/;

/** Milliseconds, or null when the text is not a duration (a bare number is not: its unit is unknown). */
export function parseGoDuration(text: string | undefined | null): number | null {
  if (text === undefined || text === null) return null;
  const trimmed = text.trim();
  if (!WHOLE.test(trimmed)) return null;
  GROUP.lastIndex = 0;
  let total = 0;
  for (let match = GROUP.exec(trimmed); match; match = GROUP.exec(trimmed)) total += Number(match[1]) * (UNIT_MS[match[2]!] ?? NaN);
  return Number.isFinite(total) ? total : null;
}

const PROSE_GO = /(?:try again|retry)\s+(?:in|after)\s+((?:(?:\d+(?:\.\d+)?)(?:ms|us|µs|μs|ns|h|m|s))+)(?![A-Za-z])/i;
const PROSE_WORDS = /(?:try again|retry)\s+(?:in|after)\s+(\d+(?:\.\d+)?)\s*(milliseconds?|seconds?|secs?|minutes?|mins?|hours?)\b/i;
const WORD_MS: Record<string, number> = { milli: 1, sec: 1000, min: 60_000, hour: 3_600_000 };

/**
 * The delay a message states: "Please try again in 9m38.016s", "Please retry in 41.710991998s.",
 * "Please retry after 45 seconds", "Try again in 2 seconds". Milliseconds, or null.
 */
export function proseDelayMs(text: string): number | null {
  const go = PROSE_GO.exec(text);
  if (go) return parseGoDuration(go[1]);
  const words = PROSE_WORDS.exec(text);
  if (!words) return null;
  const unit = words[2]!.toLowerCase();
  const per = Object.entries(WORD_MS).find(([prefix]) => unit.startsWith(prefix))?.[1] ?? 1000;
  return Number(words[1]) * per;
}
