/** Calendar resets: Gemini's daily quotas at midnight America/Los_Angeles, Cloudflare's at 00:00 UTC. */

const DAY_MS = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, format);
  }
  return format;
}

/** The wall-clock fields of an instant in a time zone. */
function wallClock(at: number, timeZone: string): { year: number; month: number; day: number; hour: number; minute: number; second: number } {
  const fields = Object.fromEntries(
    formatter(timeZone)
      .formatToParts(new Date(at))
      .filter((part) => part.type !== 'literal')
      .map((part) => [part.type, Number(part.value)]),
  ) as Record<string, number>;
  return { year: fields.year!, month: fields.month!, day: fields.day!, hour: fields.hour!, minute: fields.minute!, second: fields.second! };
}

/** How far the zone's wall clock is ahead of UTC at an instant (ms; negative west of Greenwich). */
function zoneOffset(at: number, timeZone: string): number {
  const wall = wallClock(at, timeZone);
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
  return asUtc - Math.floor(at / 1000) * 1000;
}

/** The first instant after `now` at which the zone's wall clock reads 00:00 (DST-correct). */
export function nextMidnightIn(timeZone: string, now: number): number {
  const today = wallClock(now, timeZone);
  const target = Date.UTC(today.year, today.month - 1, today.day + 1);
  let at = target - zoneOffset(target, timeZone);
  // The offset at the guess can differ from the offset at midnight itself around a DST change.
  at = target - zoneOffset(at, timeZone);
  return at > now ? at : at + DAY_MS;
}

export const nextPacificMidnight = (now: number) => nextMidnightIn('America/Los_Angeles', now);

export function nextUtcMidnight(now: number): number {
  return (Math.floor(now / DAY_MS) + 1) * DAY_MS;
}

/** 00:00 UTC on the first of next month. */
export function nextUtcMonthStart(now: number): number {
  const date = new Date(now);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1);
}
