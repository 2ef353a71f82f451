/** Durations and clock times in the words the tray and notifications use. */
import { formatDuration } from '../core/time-words';

/** "6 h 25 min", "3 min", "2 d 4 h", or "now". Minute grain: the tray refreshes at most once a minute. */
export function formatCountdown(ms: number): string {
  return ms <= 0 ? 'now' : formatDuration(ms, 'minute');
}

/**
 * "14:02" when `at` falls on the same calendar day as `now`, else "Tue 14:02". Rounds up to the
 * minute: a reset at 14:01:30 reads "until 14:02", never earlier than it really is.
 */
export function formatClock(exact: number, now: number, timeZone?: string): string {
  const at = Math.ceil(exact / 60_000) * 60_000;
  const time = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone }).format(at);
  const day = new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit', timeZone });
  if (day.format(at) === day.format(now)) return time;
  const weekday = new Intl.DateTimeFormat('en-US', { weekday: 'short', timeZone }).format(at);
  return `${weekday} ${time}`;
}
