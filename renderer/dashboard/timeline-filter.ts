import type { EngineEvent } from '../../shared/events';
import { eventAccounts, eventGroup, type EventGroup } from '../format/event-text';

export interface TimelineFilter {
  /** Account key, or null for all. */
  account: string | null;
  /** Event group, or null for all. */
  group: Exclude<EventGroup, 'restart'> | null;
}

/**
 * Newest first. Restart markers (`started`/`stopped`) always stay, whatever the filters, so an
 * old error is always seen below the restart that followed it.
 */
export function filterEvents(events: EngineEvent[], filter: TimelineFilter): EngineEvent[] {
  const out: EngineEvent[] = [];
  for (let i = events.length - 1; i >= 0; i--) {
    const event = events[i]!;
    if (repeatsRecovery(event, events)) continue;
    const group = eventGroup(event);
    if (group !== 'restart') {
      if (filter.group !== null && group !== filter.group) continue;
      if (filter.account !== null && !eventAccounts(event).includes(filter.account)) continue;
    }
    out.push(event);
  }
  return out;
}

/** How close two events must be to be one recovery told twice. */
const SAME_MOMENT_MS = 2_000;

/**
 * One recovery is one line: when a cooldown ends, the engine says so ("A can use m again") and,
 * if no account could serve m before, also that m "recovered" on A. The second says nothing new.
 */
function repeatsRecovery(event: EngineEvent, events: EngineEvent[]): boolean {
  if (event.kind !== 'recovered' || event.model === null) return false;
  return events.some(
    (e) => e.kind === 'cooldown-ended' && e.account === event.account && e.model === event.model && e.startId === event.startId && Math.abs(e.ts - event.ts) <= SAME_MOMENT_MS,
  );
}

/** Account keys to offer in the filter: the current ones, then any only seen in events. */
export function filterAccounts(current: string[], events: EngineEvent[]): string[] {
  const keys = [...current];
  for (const event of events) for (const key of eventAccounts(event)) if (!keys.includes(key)) keys.push(key);
  return keys;
}
