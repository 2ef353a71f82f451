import type { Clock } from '../clock';
import type { RoutePlanner } from './planner';
import { routeRefusal, type TargetRefusal } from './refusal';
import type { RoutePlan } from './resolve';
import type { LiveTarget } from './types';
import type { RouteTraffic } from './view';

/** What trying one target gives: its answer, or why none of its accounts could serve (without waiting). */
export type TargetAttempt<T> = { ok: true; value: T } | { ok: false; refusal: Exclude<TargetRefusal, { reason: 'missing-capability' }> };

/** A reset already due but not yet honoured is tried again after this long, not in a tight loop. */
const MIN_WAIT_MS = 250;

export interface ServeRouteDeps {
  clock: Clock;
  planner: RoutePlanner;
  traffic: RouteTraffic;
  /** How long a request may wait, over all passes, for the earliest reset among the targets. */
  maxWaitMs: number;
  signal?: AbortSignal;
  /** Told of every answer of a named route: which target answered and why the earlier ones could not. */
  onServed?: (outcome: RouteOutcome) => void;
}

/** A route's request answered: by `target`, after `passed` (the targets tried before it, each with its refusal). */
export interface RouteOutcome {
  route: string;
  target: LiveTarget;
  passed: Array<Exclude<TargetRefusal, { reason: 'missing-capability' }>>;
}

export interface Served<T> {
  value: T;
  /** The target that answered (for `x-switchyard-route-target` and the reply's `model`). */
  target: LiveTarget;
  /** True when an earlier target could not serve. */
  fallback: boolean;
}

/**
 * Serves a plan across its targets: each in the planner's order (inside a target, the pool's
 * account choice, which must not wait itself); the first answer wins and is remembered for the
 * conversation and the route's traffic. When every target refuses, the request waits for the
 * earliest reset among them while that fits in `maxWaitMs`, then tries again; past that, the
 * honest refusal that names every target (skipped ones included) is thrown.
 */
export async function serveRoute<T>(plan: RoutePlan, body: Record<string, unknown>, attempt: (target: LiveTarget) => Promise<TargetAttempt<T>>, deps: ServeRouteDeps): Promise<Served<T>> {
  const order = deps.planner.order(plan, body);
  const name = plan.route ?? plan.requested;
  const skipped: TargetRefusal[] = order.skipped.map((s) => ({ target: s.target, reason: 'missing-capability', missing: s.missing }));
  let waited = 0;
  for (;;) {
    const refusals: RouteOutcome['passed'] = [];
    for (const [index, target] of order.targets.entries()) {
      const result = await attempt(target);
      if (result.ok) {
        deps.planner.served(order, target);
        if (plan.route !== null) {
          deps.traffic.record(plan.route, target, index > 0);
          deps.onServed?.({ route: plan.route, target, passed: refusals });
        }
        return { value: result.value, target, fallback: index > 0 };
      }
      refusals.push(result.refusal);
    }
    const now = deps.clock.now();
    const resets = refusals.flatMap((r) => (r.reason === 'rate-limited' && r.resetAt !== null ? [r.resetAt] : []));
    const wait = resets.length > 0 ? Math.max(MIN_WAIT_MS, Math.min(...resets) - now) : null;
    if (wait === null || waited + wait > deps.maxWaitMs) throw routeRefusal(name, [...refusals, ...skipped], now);
    await deps.clock.sleep(wait, deps.signal);
    waited += wait;
  }
}
