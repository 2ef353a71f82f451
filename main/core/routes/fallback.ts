import type { Clock } from '../clock';
import type { RouteOutcome } from './serve';
import { targetId } from './target';

/** A route's request answered by a later target because the first one tried could not serve. */
export interface RouteFallback {
  route: string;
  /** `{provider}/{model}` of the first target tried. */
  from: string;
  /** `{provider}/{model}` of the target that answered. */
  to: string;
  /** Why `from` could not serve. */
  reason: 'rate-limited' | 'unavailable';
  /** When `from` is expected to serve again (epoch ms), if known. */
  resetsAt: number | null;
}

/** The fallback an outcome is, or null when the first target tried answered. */
export function fallbackOf(outcome: RouteOutcome): RouteFallback | null {
  const first = outcome.passed[0];
  if (!first) return null;
  return { route: outcome.route, from: targetId(first.target), to: targetId(outcome.target), reason: first.reason, resetsAt: first.resetAt };
}

/** Without a stated reset, a fallback is news again after this long. */
const DEFAULT_QUIET_MS = 60_000;

/**
 * Says a fallback once while it lasts, as rotations are said once per cooldown: every request
 * falls back while the first target is at its limit, but only the first of them is an event.
 * Quiet per (route, from, to) until `from`'s reset (or a minute); once `from` answers a request of
 * the route again, its quiet ends, so the next fallback from it is news.
 */
export class FallbackAnnouncer {
  private readonly quietUntil = new Map<string, number>();

  constructor(
    private readonly clock: Clock,
    private readonly quietMs = DEFAULT_QUIET_MS,
  ) {}

  /** True when this fallback should be announced now. */
  note(fallback: RouteFallback): boolean {
    const now = this.clock.now();
    for (const [key, until] of this.quietUntil) if (until <= now) this.quietUntil.delete(key);
    const key = [fallback.route.toLowerCase(), fallback.from, fallback.to].join('\u0000');
    if (this.quietUntil.has(key)) return false;
    this.quietUntil.set(key, fallback.resetsAt !== null && fallback.resetsAt > now ? fallback.resetsAt : now + this.quietMs);
    return true;
  }

  /** `target` (`{provider}/{model}`) answered a request of the route. */
  served(route: string, target: string): void {
    const prefix = `${route.toLowerCase()}\u0000${target}\u0000`;
    for (const key of this.quietUntil.keys()) if (key.startsWith(prefix)) this.quietUntil.delete(key);
  }
}
