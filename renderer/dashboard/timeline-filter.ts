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
    const group = eventGroup(event);
    if (group !== 'restart') {
      if (filter.group !== null && group !== filter.group) continue;
      if (filter.account !== null && !eventAccounts(event).includes(filter.account)) continue;
    }
    out.push(event);
  }
  return out;
}

/** Account keys to offer in the filter: the current ones, then any only seen in events. */
export function filterAccounts(current: string[], events: EngineEvent[]): string[] {
  const keys = [...current];
  for (const event of events) for (const key of eventAccounts(event)) if (!keys.includes(key)) keys.push(key);
  return keys;
}
