import { formatClock, formatCountdown, isoTime } from '../../shared/words/time-words';

/** "resets in 1 h 2 min at 14:30:00": derived from the absolute `until` and the shared clock. */
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
      at <time dateTime={isoTime(until)}>{formatClock(until, now)}</time>
    </span>
  );
}
