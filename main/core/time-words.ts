/**
 * Durations as people read them — "42 s", "4 min 5 s", "12 min", "1 h 5 min", "2 d 4 h" — rounded
 * up at the unit shown, so they never say less time is left than really is. The one formatter of
 * the engine's messages, the CLI and the tray. `minute` grain (the tray, which refreshes once a
 * minute) never shows seconds.
 */
export function formatDuration(ms: number, grain: 'second' | 'minute' = 'second'): string {
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
