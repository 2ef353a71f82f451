/** Clock times and durations in the words the CLI prints. `timeZone` is for tests; default: local. */
import { formatDuration } from '../core/time-words';

export { formatDuration };

/** "in 1 h 5 min", or "now" once it has passed. */
export function formatIn(at: number, now: number): string {
  return at <= now ? 'now' : `in ${formatDuration(at - now)}`;
}

/** "2 h 3 min ago" (rounded down: an age is never overstated). */
export function formatAgo(at: number, now: number): string {
  const ms = Math.max(0, now - at);
  return ms < 1000 ? 'just now' : `${formatDuration(Math.floor(ms / 1000) * 1000)} ago`;
}

/** "14:05:00" on the same day as `now`, else "2025-01-02 14:05:00" — local time. */
export function formatClock(at: number, now: number, timeZone?: string): string {
  const time = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23', timeZone }).format(at);
  const day = new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit', timeZone });
  const date = day.format(at);
  return date === day.format(now) ? time : `${date} ${time}`;
}

/** "until 14:05:00 (in 1 h 5 min)". */
export function formatUntil(at: number, now: number, timeZone?: string): string {
  return `until ${formatClock(at, now, timeZone)} (${formatIn(at, now)})`;
}
