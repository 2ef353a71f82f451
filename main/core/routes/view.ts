import type { RouteTargetState, RouteTargetView, RouteView } from '../../../shared/routes';
import type { RouteTable } from './table';
import { describeDropped } from './table';
import { statedLacks } from './needs';
import { parseTarget, targetId } from './target';
import type { LiveTarget, RouteTarget } from './types';

/** What the pool says of one live target now. */
export interface TargetHealth {
  state: Exclude<RouteTargetState, 'dropped'>;
  reason: string | null;
  until: number | null;
}

interface Counts {
  served: number;
  fallbacks: number;
}

/** Where each route's traffic went: served and fallback counts per target, and the latest one. */
export class RouteTraffic {
  private readonly counts = new Map<string, Map<string, Counts>>();
  private readonly latest = new Map<string, string>();

  /** A request of `route` was served by `target`; `fallback` when an earlier target could not serve. */
  record(route: string, target: RouteTarget, fallback: boolean): void {
    const key = route.toLowerCase();
    const id = targetId(target);
    const byTarget = this.counts.get(key) ?? new Map<string, Counts>();
    const counts = byTarget.get(id) ?? { served: 0, fallbacks: 0 };
    counts.served += 1;
    if (fallback) counts.fallbacks += 1;
    byTarget.set(id, counts);
    this.counts.set(key, byTarget);
    this.latest.set(key, id);
  }

  countsOf(route: string, target: string): Counts {
    return this.counts.get(route.toLowerCase())?.get(target) ?? { served: 0, fallbacks: 0 };
  }

  latestOf(route: string): string | null {
    return this.latest.get(route.toLowerCase()) ?? null;
  }
}

function liveView(route: string, target: LiveTarget, health: TargetHealth, traffic: RouteTraffic): RouteTargetView {
  const id = targetId(target);
  return { target: id, provider: target.provider, model: target.model, ...health, ...traffic.countsOf(route, id), lastServed: traffic.latestOf(route) === id, lacks: statedLacks(target.entry) };
}

/** Every route for the dashboard: live targets with their health and traffic, then the dropped ones (a person's routes only). */
export function routeViews(table: RouteTable, traffic: RouteTraffic, healthOf: (target: LiveTarget) => TargetHealth): RouteView[] {
  return table.routes().map((route) => ({
    name: route.name,
    origin: route.origin,
    spread: route.spread,
    shadows: route.shadows,
    targets: [
      ...route.targets.map((target) => liveView(route.name, target, healthOf(target), traffic)),
      // A built-in family's targets at providers without an account (or not in their catalog) are not news.
      ...(route.origin === 'family' ? [] : route.dropped).map((dropped): RouteTargetView => {
        const parsed = parseTarget(dropped.target);
        return {
          target: dropped.target,
          provider: parsed?.provider ?? dropped.target.split('/')[0] ?? '',
          model: parsed?.model ?? dropped.target.slice(dropped.target.indexOf('/') + 1),
          state: 'dropped',
          reason: describeDropped(dropped),
          until: null,
          served: 0,
          fallbacks: 0,
          lastServed: false,
          lacks: [],
        };
      }),
    ],
  }));
}
