import type { EventBody } from '../../../shared/events';
import type { RouteView } from '../../../shared/routes';
import type { Settings } from '../../../shared/settings';
import type { AccountView } from '../../../shared/snapshot';
import type { Clock } from '../clock';
import type { SwitchyardConfig } from '../config/config-file';
import type { ProviderCatalogs } from '../limits/provider-catalogs';
import { providerFor } from '../providers/index';
import type { ProviderRouting as ProxyRouting } from '../proxy/deps';
import { buildRouteTable, FallbackAnnouncer, fallbackOf, routeViews, RoutePlanner, RouteTraffic, targetHealth, type RouteDefinition, type RouteFallback, type RouteOutcome, type RouteTable, targetId } from '../routes';

export interface ProviderRoutingDeps {
  catalogs: ProviderCatalogs;
  settings: () => Settings;
  config: SwitchyardConfig | null;
  clock: Clock;
  /** True while some GitHub Models account may serve (present, enabled, not retired). */
  githubServes: () => boolean;
  /** True when some enabled GitHub Models account exists, retired or not. */
  githubAccounts: () => boolean;
  /** Engine events (a fallback, said once while it lasts). */
  emit?: (body: EventBody) => void;
  /** Every request served after a fallback (metrics). */
  onFallback?: (fallback: RouteFallback) => void;
}

/** The engine's handle on routing: the proxy's routing (null while no other provider has an account) and the views. */
export interface ProviderRoutingHandle {
  (): ProxyRouting | null;
  /** Every route with its targets' health (from the snapshot's accounts at `now`) and traffic. */
  views(accounts: readonly AccountView[], now: number): RouteView[];
  /** Every `{provider}/{model}` the catalogs serve (what Settings offers as targets). */
  targets(): string[];
}

/** The config file's `routes:` as route definitions. */
export function configRoutes(config: SwitchyardConfig | null): RouteDefinition[] {
  return Object.entries(config?.routes ?? {}).map(([name, targets]) => ({ name, targets: targets.map((t) => `${t.provider}/${t.model}`) }));
}

/**
 * Routing over the providers other than GitHub Models: the route table (rebuilt when a catalog or
 * the saved routes change), one planner (conversation stickiness), the routes' traffic and their
 * fallbacks (counted each, announced once while they last).
 */
export function createProviderRouting(deps: ProviderRoutingDeps): ProviderRoutingHandle {
  const planner = new RoutePlanner(deps.clock);
  const traffic = new RouteTraffic();
  const announcer = new FallbackAnnouncer(deps.clock);
  const config = configRoutes(deps.config);
  let table: RouteTable | null = null;
  let targetIds: string[] | null = null;
  let builtFor: unknown = null;
  deps.catalogs.onChange(() => {
    table = null;
  });
  // The providers' first listing: until it is in, the route table knows only the bundled snapshots.
  let firstListing: Promise<void> | null = deps.catalogs.ready.then(() => {
    firstListing = null;
  });
  const current = (): RouteTable => {
    const routes = deps.settings().routes;
    if (!table || builtFor !== routes) {
      table = buildRouteTable({ settings: routes, config, catalogs: deps.catalogs.list(), normalize: (provider, id) => providerFor(provider).normalizeModelId(id) });
      targetIds = null;
      builtFor = routes;
    }
    return table;
  };
  const onServed = (outcome: RouteOutcome): void => {
    const fallback = fallbackOf(outcome);
    if (!fallback) return announcer.served(outcome.route, targetId(outcome.target));
    deps.onFallback?.(fallback);
    if (announcer.note(fallback)) deps.emit?.({ kind: 'route-fallback', ...fallback });
  };
  const routing: ProxyRouting = {
    table: current,
    planner,
    traffic,
    clock: deps.clock,
    githubServes: deps.githubServes,
    githubAccounts: deps.githubAccounts,
    bareIdFallback: () => deps.settings().bareIdFallback,
    onServed,
    firstListing: () => firstListing,
  };
  const handle = () => (deps.catalogs.list().length > 0 ? routing : null);
  return Object.assign(handle, {
    views: (accounts: readonly AccountView[], now: number) => routeViews(current(), traffic, (target) => targetHealth(accounts, target, now)),
    targets: () => {
      const built = current();
      targetIds ??= built.targetIds();
      return targetIds;
    },
  });
}
