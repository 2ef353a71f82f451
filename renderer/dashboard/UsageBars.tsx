import type { ModelUsage } from '../../shared/snapshot';
import { ModelName } from '../common/ModelName';

/** Today's requests per model against the plan's forecast daily limit. */
export function UsageBars({ usage, label }: { usage: ModelUsage[]; label: string }) {
  if (usage.length === 0) return <p className="muted">No requests today.</p>;
  return (
    <ul className="usage" aria-label={`Today's usage of ${label}`}>
      {usage.map((u) => {
        const limit = u.limits?.perDay ?? null;
        const text = limit !== null ? `${u.day} of ${limit} today` : `${u.day} today (no forecast limit known)`;
        const id = `usage-${label}-${u.model}`.replace(/[^A-Za-z0-9_-]/g, '-');
        return (
          <li key={u.model} className="usage-row">
            <span className="usage-model" id={id}>
              <ModelName id={u.model} />
            </span>
            {limit !== null ? (
              <meter
                className="usage-meter"
                min={0}
                max={limit}
                low={limit * 0.7}
                high={limit * 0.9}
                optimum={0}
                value={Math.min(u.day, limit)}
                aria-labelledby={id}
              />
            ) : (
              <span className="usage-meter usage-meter-unknown" aria-hidden="true" />
            )}
            <span className="usage-count">
              {text}
              {u.inFlight > 0 ? `, ${u.inFlight} in flight` : ''}
            </span>
          </li>
        );
      })}
    </ul>
  );
}
