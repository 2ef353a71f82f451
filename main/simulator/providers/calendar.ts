/** Calendar boundaries the providers reset at, as epoch ms after `now`. */

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The next 00:00 UTC. */
export function nextUtcMidnight(now: number): number {
  return Math.floor(now / DAY) * DAY + DAY;
}

/** The first instant of next month, UTC. */
export function nextUtcMonth(now: number): number {
  const d = new Date(now);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}

const pacific = new Intl.DateTimeFormat('en-US', {
  timeZone: 'America/Los_Angeles',
  hourCycle: 'h23',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  second: 'numeric',
});

/** Milliseconds since the last midnight America/Los_Angeles. */
function sincePacificMidnight(at: number): number {
  const parts = Object.fromEntries(pacific.formatToParts(at).map((p) => [p.type, p.value]));
  return (Number(parts.hour) * 3600 + Number(parts.minute) * 60 + Number(parts.second)) * 1000 + (((at % 1000) + 1000) % 1000);
}

/** The next midnight America/Los_Angeles (Gemini's daily reset), daylight saving included. */
export function nextPacificMidnight(now: number): number {
  let candidate = now - sincePacificMidnight(now) + DAY;
  // A day with a clock change is 23 or 25 hours long: step to the instant that reads 00:00.
  for (let i = 0; i < 2; i++) {
    const since = sincePacificMidnight(candidate);
    if (since === 0) break;
    candidate += since > 12 * HOUR ? DAY - since : -since;
  }
  return candidate;
}
