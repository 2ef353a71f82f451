import type { EngineEvent, NotificationKind } from '../../shared/events';
import type { Settings } from '../../shared/settings';
import { FALLBACK_REASON_WORDS, providerOfTarget, REASON_WORDS } from '../../shared/words/event-words';
import { formatClock, formatIn, GLANCE_CLOCK } from '../../shared/words/time-words';

/**
 * Which engine events become desktop notifications, in what words. Coalesced: at most one per
 * (account, model) per cooldown — a key stays quiet until its reset time (an invalid account
 * until it recovers or is reset). Recovery is announced only for a problem that was seen.
 */

export interface NotificationText {
  kind: NotificationKind;
  title: string;
  body: string;
}

export interface PolicyContext {
  now: number;
  toggles: Settings['notifications'];
  /** Used when an event carries no reset time. */
  defaultCooldownMs: number;
  /** Display name of an account key (its login when known). */
  name: (accountKey: string) => string;
  timeZone?: string;
}

const ANY = '*';
const keyOf = (account: string, model: string) => `${account}\u0000${model}`;
const accountOf = (key: string) => key.split('\u0000')[0]!;
const modelOf = (key: string) => key.split('\u0000')[1]!;


export class NotificationPolicy {
  private readonly quietUntil = new Map<string, number>();
  private readonly problems = new Set<string>();

  decide(event: EngineEvent, ctx: PolicyContext): NotificationText | null {
    this.prune(ctx.now);
    const when = (until: number) => `${formatClock(until, ctx.now, { ...GLANCE_CLOCK, timeZone: ctx.timeZone })} (${formatIn(until, ctx.now, 'minute')})`;
    switch (event.kind) {
      case 'rotated': {
        const key = keyOf(event.from, event.model);
        const until = event.resetsAt ?? ctx.now + ctx.defaultCooldownMs;
        if (!this.open(key, until, ctx.now, ctx.toggles.rotation)) return null;
        const from = ctx.name(event.from);
        const resets = event.resetsAt ? `; it resets at ${when(event.resetsAt)}` : '';
        return {
          kind: 'rotation',
          title: `Switched from ${from} to ${ctx.name(event.to)}`,
          body: `For ${event.model}: ${from} ${REASON_WORDS[event.reason]}${resets}.`,
        };
      }
      case 'route-fallback': {
        // Like a rotation: once per (route, first target) until that target's reset.
        const until = event.resetsAt ?? ctx.now + ctx.defaultCooldownMs;
        if (!this.open(keyOf(`route:${event.route.toLowerCase()}`, event.from), until, ctx.now, ctx.toggles.rotation)) return null;
        const resets = event.resetsAt ? ` until it resets at ${when(event.resetsAt)}` : '';
        return {
          kind: 'rotation',
          title: `${event.route} moved from ${providerOfTarget(event.from)} to ${providerOfTarget(event.to)}`,
          body: `${event.from} ${FALLBACK_REASON_WORDS[event.reason]}; requests for ${event.route} go to ${event.to}${resets}.`,
        };
      }
      case 'account-invalid': {
        if (!this.open(keyOf(event.account, ANY), Number.POSITIVE_INFINITY, ctx.now, ctx.toggles.invalid)) return null;
        const name = event.login ?? ctx.name(event.account);
        return {
          kind: 'invalid',
          title: `${name} needs a new token`,
          body: `GitHub rejected the token of ${name} (${event.reason}). Replace it in Settings; the other accounts carry on.`,
        };
      }
      case 'model-exhausted': {
        const until = event.until ?? Number.POSITIVE_INFINITY;
        if (!this.open(keyOf(ANY, event.model), until, ctx.now, ctx.toggles.exhausted)) return null;
        return {
          kind: 'exhausted',
          title: `${event.model} is exhausted on every account`,
          body: event.until
            ? `Requests for ${event.model} are refused until ${when(event.until)}.`
            : `No account can use ${event.model} until it is reset by hand.`,
        };
      }
      case 'provider-retired': {
        // Once: a retirement does not end, so the key stays quiet for good.
        if (!this.open(keyOf(`provider:${event.provider}`, ANY), Number.POSITIVE_INFINITY, ctx.now, ctx.toggles.exhausted)) return null;
        const names = event.accounts.map(ctx.name);
        const who = names.length === 1 ? `${names[0]} can` : `${names.length} accounts (${names.join(', ')}) can`;
        return {
          kind: 'exhausted',
          title: `${who} serve nothing`,
          body: `${event.message}.`,
        };
      }
      case 'recovered': {
        const matched = [...this.problems].filter(
          (k) => accountOf(k) === event.account && (event.model === null || modelOf(k) === event.model || modelOf(k) === ANY),
        );
        if (event.model !== null && this.problems.has(keyOf(ANY, event.model))) matched.push(keyOf(ANY, event.model));
        if (matched.length === 0) return null;
        this.forget(matched);
        if (!ctx.toggles.recovery) return null;
        const name = ctx.name(event.account);
        return {
          kind: 'recovery',
          title: `${name} is available again`,
          body: event.model ? `${name} can serve ${event.model} again.` : `${name} can serve requests again.`,
        };
      }
      case 'cooldown-ended':
        // The cooldown is over: a new one may be announced. The problem stays until 'recovered'.
        for (const k of this.quietUntil.keys()) {
          if (accountOf(k) === event.account && (event.model === null || modelOf(k) === event.model)) this.quietUntil.delete(k);
        }
        return null;
      case 'manual-reset':
        this.forget(
          [...this.problems, ...this.quietUntil.keys()].filter(
            (k) => (event.account === null || accountOf(k) === event.account) && (event.model === null || modelOf(k) === event.model),
          ),
        );
        return null;
      case 'account-removed':
        this.forget([...this.problems, ...this.quietUntil.keys()].filter((k) => accountOf(k) === event.account));
        return null;
      default:
        return null;
    }
  }

  /** Records the problem; true when a notification may be shown now (then stays quiet until `until`). */
  private open(key: string, until: number, now: number, enabled: boolean): boolean {
    this.problems.add(key);
    if (!enabled) return false;
    const quiet = this.quietUntil.get(key);
    if (quiet !== undefined && quiet > now) return false;
    this.quietUntil.set(key, until);
    return true;
  }

  private forget(keys: string[]): void {
    for (const k of keys) {
      this.problems.delete(k);
      this.quietUntil.delete(k);
    }
  }

  private prune(now: number): void {
    for (const [k, until] of this.quietUntil) if (until <= now) this.quietUntil.delete(k);
  }
}
