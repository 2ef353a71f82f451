const pad = (n: number): string => String(n).padStart(2, '0');

/** h:mm:ss of the time left until `until` (epoch ms) at `now`; 0:00:00 once it has passed. */
export function formatCountdown(until: number, now: number): string {
  const total = Math.max(0, Math.ceil((until - now) / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return `${h}:${pad(m)}:${pad(s)}`;
}

/** Local wall-clock time, HH:MM:SS. */
export function formatClock(ts: number): string {
  const d = new Date(ts);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** Local date, YYYY-MM-DD. */
export function formatDate(ts: number): string {
  const d = new Date(ts);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** Exact local timestamp, YYYY-MM-DD HH:MM:SS. */
export function formatTimestamp(ts: number): string {
  return `${formatDate(ts)} ${formatClock(ts)}`;
}

/** Local reset time: HH:MM:SS when it falls on the same day as `now`, else with the date. */
export function formatResetTime(until: number, now: number): string {
  return formatDate(until) === formatDate(now) ? formatClock(until) : formatTimestamp(until);
}

/** ISO string for <time dateTime>. */
export function isoTime(ts: number): string {
  return new Date(ts).toISOString();
}
