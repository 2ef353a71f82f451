import type { LimitType } from '../domain';
import type { EngineEvent } from '../events';
import { formatClock } from './time-words';

/**
 * The one home of event wording: the CLI (`status`, `watch`), the dashboard's timeline, the tray
 * and desktop notifications all say an event in these words.
 */

export type RotationReason = LimitType | 'invalid' | 'forbidden' | 'error';

/** What happened to an account, as the rest of a sentence that starts with its name. */
export const REASON_WORDS: Record<RotationReason, string> = {
  UserByModelByDay: 'reached its daily limit',
  UserByModelByMinute: 'reached its per-minute limit',
  UserByModelByMinuteTokens: 'reached its per-minute token limit',
  UserByMinute: 'reached its per-minute limit for all models',
  UserByDay: 'reached its daily limit for all models',
  UserConcurrentRequests: 'had too many requests at once',
  Unknown: 'was rate-limited',
  invalid: 'has a token its provider no longer accepts',
  forbidden: 'is not allowed to use this model',
  error: 'failed with an upstream error',
};

export interface EventWordsOptions {
  /** Reset times on the same day as this read as a time only; default: the event's own time. */
  now?: number;
  timeZone?: string;
}

/** Why a route's first target could not serve, as the rest of a sentence that starts with the target. */
export const FALLBACK_REASON_WORDS: Record<'rate-limited' | 'unavailable', string> = {
  'rate-limited': 'is at its limit',
  unavailable: 'cannot serve (no account of it can)',
};

/** The provider of a `{provider}/{model}` target. */
export const providerOfTarget = (target: string): string => target.slice(0, Math.max(0, target.indexOf('/'))) || target;

/** An account as events name it: its key, and its login when known. */
export const accountWho = (account: string, login: string | null): string => (login ? `${account} (${login})` : account);

/** One line of plain words for an event. Times are local and exact. */
export function describeEvent(event: EngineEvent, options: EventWordsOptions = {}): string {
  const at = (until: number): string => formatClock(until, options.now ?? event.ts, { timeZone: options.timeZone });
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
      const back = event.resetsAt !== null ? `; it can serve it again at ${at(event.resetsAt)}` : '';
      return `Rotated ${event.model} from ${event.from} to ${event.to}: ${event.from} ${REASON_WORDS[event.reason]}${back}`;
    }
    case 'cooldown-started':
      return `${accountWho(event.account, event.login)} cooling down ${event.model ? `for ${event.model}` : 'for all models'} until ${at(event.until)} (${event.limitType})`;
    case 'cooldown-ended':
      return `${event.account} can use ${event.model ?? 'all models'} again`;
    case 'account-invalid':
      return `${accountWho(event.account, event.login)}: token invalid — ${event.reason}`;
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
      return `Added ${accountWho(event.account, event.login)}`;
    case 'account-removed':
      return `Removed ${event.account}`;
    case 'duplicate-login':
      if (event.provider && event.provider !== 'github') return `${event.accounts.join(' and ')} have the same ${event.provider} owner (${event.login}): one quota, so ${event.accounts.slice(1).join(' and ')} ${event.accounts.length > 2 ? 'are spares' : 'is a spare'}`;
      return `${event.accounts.join(' and ')} are the same user (${event.login}): they share one quota`;
    case 'provider-retired':
      return event.message;
    case 'route-fallback': {
      const back = event.resetsAt !== null ? `; it can serve again at ${at(event.resetsAt)}` : '';
      return `Route ${event.route} fell back from ${event.from} to ${event.to}: ${event.from} ${FALLBACK_REASON_WORDS[event.reason]}${back}`;
    }
  }
}
