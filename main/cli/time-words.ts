/** Clock times and durations in the words the CLI prints. `timeZone` is for tests; default: local. */

/**
 * "42 s", "4 min 5 s" (under 10 min), "12 min", "1 h 5 min", "2 d 4 h". Rounds up at the unit
 * shown, so it never says less time is left than really is.
 */
export function formatDuration(ms: number): string {
  if (ms <= 0) return '0 s';
  const seconds = Math.ceil(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 600) return seconds % 60 ? `${Math.floor(seconds / 60)} min ${seconds % 60} s` : `${seconds / 60} min`;
  const minutes = Math.ceil(ms / 60_000);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
  const days = Math.floor(hours / 24);
  return hours % 24 ? `${days} d ${hours % 24} h` : `${days} d`;
}

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
