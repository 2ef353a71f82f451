import type { Settings } from '../../../shared/settings';
import type { Clock } from '../clock';
import { ProxyError } from '../errors';
import type { PoolLogger } from './pool-deps';

interface Lane {
  /** The earliest time the next request to this model may go. */
  nextAt: number;
  waiting: number;
}

/**
 * The old system's ENABLE_MODEL_THROTTLING / MODEL_MIN_INTERVAL_MS: a FIFO per model that spaces
 * requests `minIntervalMs` apart. Slots are reserved synchronously (nextAt = max(now, nextAt) +
 * gap) before any await, so concurrent requests cannot slip through together.
 */
export class ModelThrottle {
  private readonly lanes = new Map<string, Lane>();

  constructor(
    private readonly clock: Clock,
    private readonly logger: PoolLogger,
    private readonly onQueueChange: () => void = () => {},
  ) {}

  /** Requests waiting in any lane. */
  get waiting(): number {
    let n = 0;
    for (const lane of this.lanes.values()) n += lane.waiting;
    return n;
  }

  /** Waits for this request's slot; resolves with the delay in ms. Throws a 429 ProxyError when full. */
  async acquire(model: string, settings: Settings['throttling'], signal: AbortSignal): Promise<number> {
    if (!settings.enabled || settings.minIntervalMs <= 0) return 0;
    if (signal.aborted) throw signal.reason;
    const now = this.clock.now();
    let lane = this.lanes.get(model);
    if (!lane || (lane.waiting === 0 && lane.nextAt <= now)) {
      lane = { nextAt: now, waiting: 0 };
      this.lanes.set(model, lane);
    }
    const slot = Math.max(now, lane.nextAt);
    const delay = slot - now;
    if (delay > 0 && lane.waiting >= settings.maxQueue) {
      throw new ProxyError(429, 'rate_limit_error', `Too many requests queued for ${model} (${lane.waiting} waiting); try again shortly.`, {
        code: 'throttle_queue_full',
        retryAfterSeconds: Math.max(1, Math.ceil(delay / 1000)),
      });
    }
    if (delay > settings.maxWaitMs) {
      throw new ProxyError(429, 'rate_limit_error', `The queue for ${model} would wait ${delay} ms, more than the ${settings.maxWaitMs} ms allowed.`, {
        code: 'throttle_queue_full',
        retryAfterSeconds: Math.max(1, Math.ceil(delay / 1000)),
      });
    }
    lane.nextAt = slot + settings.minIntervalMs;
    if (delay === 0) return 0;
    this.logger.info({ tag: 'throttle', model, delayMs: delay }, `[THROTTLE] Model ${model}: delay ${delay}ms`);
    const held = lane;
    held.waiting++;
    this.onQueueChange();
    try {
      await this.clock.sleep(delay, signal);
      return delay;
    } catch (err) {
      // An aborted waiter that holds the last slot gives it back.
      if (held.nextAt === slot + settings.minIntervalMs) held.nextAt = slot;
      throw err;
    } finally {
      held.waiting--;
      this.onQueueChange();
    }
  }
}
