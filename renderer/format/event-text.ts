import type { EngineEvent, EventKind } from '../../shared/events';
import { formatResetTime } from './time';

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

const who = (account: string, login: string | null): string => (login ? `${account} (${login})` : account);

/** One line of plain words for an event. Times are local and exact. */
export function describeEvent(event: EngineEvent): string {
  const at = (until: number): string => formatResetTime(until, event.ts);
  switch (event.kind) {
    case 'started':
      return `Switchyard ${event.version} started with ${event.accounts} account${event.accounts === 1 ? '' : 's'}, proxy on ${event.host}:${event.port}`;
    case 'stopped':
      return 'Switchyard stopped';
    case 'proxy-started':
      return `Proxy listening on ${event.host}:${event.port}`;
    case 'proxy-stopped':
      return event.reason ? `Proxy stopped: ${event.reason}` : 'Proxy stopped';
    case 'rotated': {
      const back = event.resetsAt !== null ? `; ${event.from} is usable again for it at ${at(event.resetsAt)}` : '';
      return `Rotated ${event.model} from ${event.from} to ${event.to} (${event.reason}${back})`;
    }
    case 'cooldown-started':
      return `${who(event.account, event.login)} cooling down ${event.model ? `for ${event.model}` : 'for all models'} until ${at(event.until)} (${event.limitType})`;
    case 'cooldown-ended':
      return `${event.account} can use ${event.model ?? 'all models'} again`;
    case 'account-invalid':
      return `${who(event.account, event.login)}: token invalid — ${event.reason}`;
    case 'model-forbidden':
      return `${event.account} is not allowed to use ${event.model}`;
    case 'model-exhausted':
      return event.until !== null
        ? `No account can serve ${event.model} until ${at(event.until)}`
        : `No account can serve ${event.model} until someone resets it`;
    case 'recovered':
      return `${event.account} recovered${event.model ? ` for ${event.model}` : ''}`;
    case 'circuit-opened':
      return `${event.account} paused after repeated failures until ${at(event.until)}`;
    case 'manual-reset':
      if (event.account && event.model) return `Reset by hand: ${event.model} on ${event.account}`;
      if (event.account) return `Reset by hand: ${event.account}`;
      if (event.model) return `Reset by hand: ${event.model} on every account`;
      return 'Reset by hand: every account and model';
    case 'account-added':
      return `Added ${who(event.account, event.login)}`;
    case 'account-removed':
      return `Removed ${event.account}`;
    case 'provider-retired':
      return event.message;
    case 'duplicate-login':
      return `${event.accounts.join(' and ')} are the same GitHub user (${event.login}): they share one quota`;
  }
}
