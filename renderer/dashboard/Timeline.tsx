import { memo, useId, useState } from 'react';
import type { EngineEvent } from '../../shared/events';
import { EmptyState } from '../common/Notice';
import { describeEvent } from '../../shared/words/event-words';
import { EVENT_GROUP_LABEL, eventOrigin, eventTone, type EventGroup } from '../format/event-text';
import { formatTime, formatTimestamp, isoTime } from '../../shared/words/time-words';
import { filterAccounts, filterEvents, type TimelineFilter } from './timeline-filter';

const GROUPS: Exclude<EventGroup, 'restart'>[] = ['rotation', 'cooldown', 'invalid', 'reset', 'account', 'proxy'];
const SHOWN = 300;

interface Props {
  events: EngineEvent[];
  accountKeys: string[];
  /** This process start: events of earlier runs are marked as such. */
  startId: string;
}

/**
 * Rotations, cooldowns, invalid tokens and resets with exact times, restarts marked. Memoized: the
 * dashboard re-renders every second for its countdowns, and this list has nothing that ticks.
 */
export const Timeline = memo(function Timeline({ events, accountKeys, startId }: Props) {
  const [filter, setFilter] = useState<TimelineFilter>({ account: null, group: null });
  const accountId = useId();
  const kindId = useId();
  const shown = filterEvents(events, filter);
  const filtered = filter.account !== null || filter.group !== null;

  return (
    <section className="panel" aria-labelledby="timeline-heading">
      <div className="panel-head">
        <h2 id="timeline-heading">Events</h2>
        <div className="filters">
          <label htmlFor={accountId}>Account</label>
          <select id={accountId} value={filter.account ?? ''} onChange={(e) => setFilter({ ...filter, account: e.target.value || null })}>
            <option value="">All accounts</option>
            {filterAccounts(accountKeys, events).map((key) => (
              <option key={key} value={key}>
                {key}
              </option>
            ))}
          </select>
          <label htmlFor={kindId}>Kind</label>
          <select
            id={kindId}
            value={filter.group ?? ''}
            onChange={(e) => setFilter({ ...filter, group: (e.target.value || null) as TimelineFilter['group'] })}
          >
            <option value="">All kinds</option>
            {GROUPS.map((g) => (
              <option key={g} value={g}>
                {EVENT_GROUP_LABEL[g]}
              </option>
            ))}
          </select>
        </div>
      </div>
      {events.length === 0 ? (
        <EmptyState>No events yet — rotations, cooldowns and resets appear here as they happen.</EmptyState>
      ) : (
        <ol className="timeline" aria-label="Events, newest first">
          {shown.slice(0, SHOWN).map((event) => (
            <TimelineItem key={event.id} event={event} earlier={event.startId !== startId} />
          ))}
          {filtered && shown.every((e) => e.kind === 'started' || e.kind === 'stopped') ? (
            <li className="empty">No events match these filters.</li>
          ) : null}
        </ol>
      )}
    </section>
  );
});

function TimelineItem({ event, earlier }: { event: EngineEvent; earlier: boolean }) {
  const origin = eventOrigin(event);
  const replica = origin ? <span className="tag replica">{origin}</span> : null;
  if (event.kind === 'started' || event.kind === 'stopped') {
    return (
      <li className="timeline-marker" data-kind={event.kind}>
        <strong className="marker-label">
          {event.kind} {formatTime(event.ts)}
        </strong>{' '}
        <time dateTime={isoTime(event.ts)}>{formatTimestamp(event.ts)}</time> <span>{describeEvent(event)}</span>
        {replica}
      </li>
    );
  }
  return (
    <li className={`timeline-item tone-${eventTone(event)}${earlier ? ' earlier' : ''}`} data-kind={event.kind}>
      <time dateTime={isoTime(event.ts)}>{formatTimestamp(event.ts)}</time> <span>{describeEvent(event)}</span>
      {replica}
      {earlier ? <span className="tag">earlier run</span> : null}
    </li>
  );
}
