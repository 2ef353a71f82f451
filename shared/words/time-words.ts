/**
 * The one home of time words: the engine's messages, the CLI, the dashboard, the tray and
 * notifications all say durations and clock times through these. Durations read "42 s",
 * "4 min 5 s", "23 h 51 min", "2 d 4 h" — rounded up at the unit shown, so they never say less
 * time is left than really is. `timeZone` is for tests; the default is the local zone.
 */

export type Grain = 'second' | 'minute';

/** A duration in words. `minute` grain (the tray, which refreshes once a minute) never shows seconds. */
export function formatDuration(ms: number, grain: Grain = 'second'): string {
  if (grain === 'second') {
    if (ms <= 0) return '0 s';
    const seconds = Math.ceil(ms / 1000);
    if (seconds < 60) return `${seconds} s`;
    if (seconds < 600) return seconds % 60 ? `${Math.floor(seconds / 60)} min ${seconds % 60} s` : `${seconds / 60} min`;
  }
  const minutes = Math.max(0, Math.ceil(ms / 60_000));
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
  const days = Math.floor(hours / 24);
  return hours % 24 ? `${days} d ${hours % 24} h` : `${days} d`;
}

/** The time left until `until`: "23 h 51 min", or "now" once it has come. */
export function formatCountdown(until: number, now: number, grain: Grain = 'second'): string {
  return until <= now ? 'now' : formatDuration(until - now, grain);
}

/** "in 1 h 5 min", or "now" once it has passed. */
export function formatIn(at: number, now: number, grain: Grain = 'second'): string {
  return at <= now ? 'now' : `in ${formatDuration(at - now, grain)}`;
}

/** "2 h 3 min ago" (rounded down: an age is never overstated). */
export function formatAgo(at: number, now: number): string {
  const ms = Math.max(0, now - at);
  return ms < 1000 ? 'just now' : `${formatDuration(Math.floor(ms / 1000) * 1000)} ago`;
}

export interface ClockOptions {
  /** `minute` rounds up to the minute (a reset at 14:01:30 reads 14:02, never earlier than it is). */
  grain?: Grain;
  /** How a time on another day than `now` is told apart: its date (default) or its weekday. */
  otherDay?: 'date' | 'weekday';
  timeZone?: string;
}

/** "14:05:00" on the same day as `now`; else "2025-01-02 14:05:00" (or "Tue 14:05" with `weekday`). */
export function formatClock(exact: number, now: number, options: ClockOptions = {}): string {
  const { grain = 'second', otherDay = 'date', timeZone } = options;
  const at = grain === 'minute' ? Math.ceil(exact / 60_000) * 60_000 : exact;
  const time = formatTime(at, grain, timeZone);
  const date = formatDate(at, timeZone);
  if (date === formatDate(now, timeZone)) return time;
  if (otherDay === 'date') return `${date} ${time}`;
  return `${new Intl.DateTimeFormat('en-US', { weekday: 'short', timeZone }).format(at)} ${time}`;
}

/** Wall-clock time of day, "14:05:00" (or "14:05" at minute grain, not rounded). */
export function formatTime(at: number, grain: Grain = 'second', timeZone?: string): string {
  const seconds = grain === 'second' ? { second: '2-digit' as const } : {};
  return new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', ...seconds, hourCycle: 'h23', timeZone }).format(at);
}

/** Calendar date, "2025-01-02". */
export function formatDate(at: number, timeZone?: string): string {
  return new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit', timeZone }).format(at);
}

/** An exact timestamp, "2025-01-02 14:05:00". */
export function formatTimestamp(at: number, timeZone?: string): string {
  return `${formatDate(at, timeZone)} ${formatTime(at, 'second', timeZone)}`;
}

/** "until 14:05:00 (in 1 h 5 min)". */
export function formatUntil(at: number, now: number, timeZone?: string): string {
  return `until ${formatClock(at, now, { timeZone })} (${formatIn(at, now)})`;
}

/** The machine-readable form for `<time dateTime>`. */
export function isoTime(at: number): string {
  return new Date(at).toISOString();
}

/** How the tray and notifications say a clock time: minute grain, another day by its weekday. */
export const GLANCE_CLOCK: ClockOptions = { grain: 'minute', otherDay: 'weekday' };
