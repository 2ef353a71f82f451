import type { LimitType } from './domain';

/** Typed, timestamped engine events, tagged with the process start that emitted them. */
export type EngineEvent = EventBase & EventBody;

export interface EventBase {
  /** Monotonic within one data folder. */
  id: number;
  /** Epoch ms. */
  ts: number;
  startId: string;
  /**
   * Set on an event another replica emitted (replicas of a team server sharing one Redis): that
   * replica's start id and the event's id there. Such an event is stamped with this replica's own
   * `id` and `startId` when heard, keeps the emitter's `ts`, and is shown "on replica <id>".
   * Absent: this replica's own event.
   */
  origin?: EventOrigin;
}

export interface EventOrigin {
  replica: string;
  id: number;
}

export type EventBody =
  | { kind: 'started'; version: string; host: string; port: number; accounts: number }
  | { kind: 'stopped' }
  | { kind: 'proxy-started'; host: string; port: number }
  | { kind: 'proxy-stopped'; reason: string | null }
  | {
      kind: 'rotated';
      from: string;
      to: string;
      model: string;
      /** Why the request left `from`: a limit type, or 'invalid' | 'forbidden' | 'error'. */
      reason: LimitType | 'invalid' | 'forbidden' | 'error';
      /** When `from` is usable again for this model (epoch ms), if known. */
      resetsAt: number | null;
    }
  | {
      kind: 'cooldown-started';
      account: string;
      login: string | null;
      /** null for a user-wide limit. */
      model: string | null;
      limitType: LimitType;
      until: number;
    }
  | { kind: 'cooldown-ended'; account: string; model: string | null }
  | { kind: 'account-invalid'; account: string; login: string | null; reason: string }
  | { kind: 'model-forbidden'; account: string; model: string }
  | { kind: 'model-exhausted'; model: string; until: number | null }
  | { kind: 'recovered'; account: string; model: string | null }
  | { kind: 'circuit-opened'; account: string; until: number }
  | { kind: 'manual-reset'; account: string | null; model: string | null }
  | { kind: 'account-added'; account: string; login: string | null }
  | { kind: 'account-removed'; account: string }
  /** Accounts of one quota owner (a GitHub login; with `provider`, another provider's owner): one quota, the later ones spares. */
  | { kind: 'duplicate-login'; login: string; accounts: string[]; provider?: string }
  /** A provider answered that it no longer serves (GitHub Models' 410): its accounts are retired. */
  | { kind: 'provider-retired'; provider: string; message: string; accounts: string[] }
  /**
   * A route's requests went on to a later target (`{provider}/{model}`) because the first could not
   * serve. Said once while it lasts (until `from`'s reset), as rotations are.
   */
  | {
      kind: 'route-fallback';
      route: string;
      from: string;
      to: string;
      reason: 'rate-limited' | 'unavailable';
      /** When `from` is expected to serve again (epoch ms), if known. */
      resetsAt: number | null;
    };

export type EventKind = EventBody['kind'];

/** Keys of events worth a desktop notification; each can be turned off in settings. */
export type NotificationKind = 'rotation' | 'invalid' | 'exhausted' | 'recovery';
