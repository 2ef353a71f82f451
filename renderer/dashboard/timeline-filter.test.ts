import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../shared/events';
import { makeEvent } from '../test-support/fixtures';
import { filterEvents } from './timeline-filter';

const ALL = { account: null, group: null };

describe('filterEvents', () => {
  it('shows one recovery as one event, not a cooldown end and a recovery at once', () => {
    const events: EngineEvent[] = [
      makeEvent(1, 1_000, { kind: 'cooldown-started', account: 'A', login: null, model: 'm', limitType: 'UserByModelByMinute', until: 60_000 }),
      makeEvent(2, 60_000, { kind: 'cooldown-ended', account: 'A', model: 'm' }),
      makeEvent(3, 60_001, { kind: 'recovered', account: 'A', model: 'm' }),
    ];
    expect(filterEvents(events, ALL).map((e) => e.kind)).toEqual(['cooldown-ended', 'cooldown-started']);
  });

  it('keeps recoveries that are news: another model, another account, much later, or after a breaker', () => {
    const events: EngineEvent[] = [
      makeEvent(1, 60_000, { kind: 'cooldown-ended', account: 'A', model: 'm' }),
      makeEvent(2, 60_000, { kind: 'recovered', account: 'B', model: 'm' }),
      makeEvent(3, 60_000, { kind: 'recovered', account: 'A', model: 'other' }),
      makeEvent(4, 90_000, { kind: 'recovered', account: 'A', model: 'm' }),
      makeEvent(5, 60_000, { kind: 'recovered', account: 'A', model: null }),
    ];
    expect(filterEvents(events, ALL).map((e) => e.id)).toEqual([5, 4, 3, 2, 1]);
  });
});
