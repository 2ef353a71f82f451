import type { EngineEvent, EventKind } from '../../shared/events';

/** The kinds the timeline can be filtered by; each groups some event kinds. */
export type EventGroup = 'rotation' | 'cooldown' | 'invalid' | 'reset' | 'account' | 'proxy' | 'restart';

export const EVENT_GROUP_LABEL: Record<EventGroup, string> = {
  rotation: 'Rotations',
  cooldown: 'Cooldowns',
  invalid: 'Invalid tokens and forbidden models',
  reset: 'Resets',
  account: 'Accounts added or removed',
  proxy: 'Proxy started or stopped',
  restart: 'Restarts',
};

const GROUP_OF: Record<EventKind, EventGroup> = {
  started: 'restart',
  stopped: 'restart',
  'proxy-started': 'proxy',
  'proxy-stopped': 'proxy',
  rotated: 'rotation',
  'route-fallback': 'rotation',
  'cooldown-started': 'cooldown',
  'cooldown-ended': 'cooldown',
  'model-exhausted': 'cooldown',
  'circuit-opened': 'cooldown',
  recovered: 'cooldown',
  'account-invalid': 'invalid',
  'model-forbidden': 'invalid',
  'duplicate-login': 'invalid',
  'provider-retired': 'invalid',
  'manual-reset': 'reset',
  'account-added': 'account',
  'account-removed': 'account',
};

export function eventGroup(event: EngineEvent): EventGroup {
  return GROUP_OF[event.kind];
}

/** Account keys an event concerns (empty for process-wide events). */
export function eventAccounts(event: EngineEvent): string[] {
  switch (event.kind) {
    case 'rotated':
      return [event.from, event.to];
    case 'cooldown-started':
    case 'cooldown-ended':
    case 'account-invalid':
    case 'model-forbidden':
    case 'recovered':
    case 'circuit-opened':
    case 'account-added':
    case 'account-removed':
      return [event.account];
    case 'manual-reset':
      return event.account ? [event.account] : [];
    case 'duplicate-login':
    case 'provider-retired':
      return event.accounts;
    default:
      return [];
  }
}

/** Where an event happened when another replica of a team server emitted it ("on replica 3f2a9c1d"); null for this replica's own. */
export function eventOrigin(event: EngineEvent): string | null {
  return event.origin ? `on replica ${event.origin.replica}` : null;
}

export type EventTone = 'info' | 'good' | 'warn' | 'bad' | 'marker';

export function eventTone(event: EngineEvent): EventTone {
  switch (event.kind) {
    case 'started':
    case 'stopped':
      return 'marker';
    case 'account-invalid':
    case 'model-forbidden':
    case 'model-exhausted':
    case 'duplicate-login':
    case 'circuit-opened':
    case 'provider-retired':
      return 'bad';
    case 'cooldown-started':
    case 'rotated':
    case 'route-fallback':
    case 'proxy-stopped':
      return 'warn';
    case 'cooldown-ended':
    case 'recovered':
    case 'manual-reset':
    case 'account-added':
    case 'proxy-started':
      return 'good';
    default:
      return 'info';
  }
}
