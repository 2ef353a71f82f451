import type { LimitType } from '../../../shared/domain';
import type { EventBody } from '../../../shared/events';
import type { Settings } from '../../../shared/settings';
import type { Clock } from '../clock';
import type { UpstreamClient } from '../upstream/types';
import type { QuotaStore } from './quota-store';

/** Why a request left an account (the `rotated` event's reason). */
export type RotationReason = LimitType | 'invalid' | 'forbidden' | 'error';

/** What the pool reports to the metrics module, one value per happening. */
export type PoolObservation =
  | {
      type: 'upstream';
      account: string;
      login: string | null;
      model: string;
      /** HTTP status; 0 when no response arrived (network error, timeout). */
      status: number;
      limitType: LimitType | null;
      latencyMs: number;
    }
  | { type: 'rotation'; from: string; to: string; model: string; reason: RotationReason }
  | { type: 'outcome'; account: string | null; model: string; outcome: 'served' | 'rate_limited' | 'error' }
  | { type: 'queue'; queued: number; inFlight: number };

type LogFn = (obj: Record<string, unknown>, message: string) => void;

/** pino-like: object first, then message. */
export interface PoolLogger {
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
}

export interface PoolDeps {
  upstream: UpstreamClient;
  clock: Clock;
  settings: () => Settings;
  emit: (event: EventBody) => void;
  observe?: (observation: PoolObservation) => void;
  logger?: PoolLogger;
  /** Where quota is counted; default: in this process's memory. */
  quota?: QuotaStore;
  /**
   * Makes what the pool learned durable now (the engine writes its state file). Awaited after a
   * new long block, before the request goes on, so a crash right after cannot forget it.
   */
  durable?: () => Promise<void>;
}

const noop: LogFn = () => {};
export const silentLogger: PoolLogger = { debug: noop, info: noop, warn: noop, error: noop };
