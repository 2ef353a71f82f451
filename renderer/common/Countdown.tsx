import { formatCountdown, formatResetTime, isoTime } from '../format/time';

/** "resets in 1:02:03 at 14:30:00": derived from the absolute `until` and the shared clock. */
export function Countdown({ until, now }: { until: number; now: number }) {
  const due = until <= now;
  return (
    <span className="countdown">
      {due ? (
        <span className="countdown-left">resetting now</span>
      ) : (
        <>
          resets in <span className="countdown-left">{formatCountdown(until, now)}</span>
        </>
      )}{' '}
      at <time dateTime={isoTime(until)}>{formatResetTime(until, now)}</time>
    </span>
  );
}
