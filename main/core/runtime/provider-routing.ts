import type { Settings } from '../../../shared/settings';
import type { Clock } from '../clock';
import type { SwitchyardConfig } from '../config/config-file';
import type { ProviderCatalogs } from '../limits/provider-catalogs';
import { providerFor } from '../providers/index';
import type { ProviderRouting as ProxyRouting } from '../proxy/model-plan';
import { buildRouteTable, RoutePlanner, RouteTraffic, type RouteDefinition, type RouteTable } from '../routes';

export interface ProviderRoutingDeps {
  catalogs: ProviderCatalogs;
  settings: () => Settings;
  config: SwitchyardConfig | null;
  clock: Clock;
  /** True while some GitHub Models account may serve (present, enabled, not retired). */
  githubServes: () => boolean;
  /** True when some enabled GitHub Models account exists, retired or not. */
  githubAccounts: () => boolean;
}

/** The config file's `routes:` as route definitions. */
export function configRoutes(config: SwitchyardConfig | null): RouteDefinition[] {
  return Object.entries(config?.routes ?? {}).map(([name, targets]) => ({ name, targets: targets.map((t) => `${t.provider}/${t.model}`) }));
}

/**
 * Routing over the providers other than GitHub Models: the route table (rebuilt when a catalog or
 * the saved routes change), one planner (conversation stickiness) and the routes' traffic. Null
 * while no account of another provider exists.
 */
export function createProviderRouting(deps: ProviderRoutingDeps): () => ProxyRouting | null {
  const planner = new RoutePlanner(deps.clock);
  const traffic = new RouteTraffic();
  const config = configRoutes(deps.config);
  let table: RouteTable | null = null;
  let builtFor: unknown = null;
  deps.catalogs.onChange(() => {
    table = null;
  });
  const current = (): RouteTable => {
    const routes = deps.settings().routes;
    if (!table || builtFor !== routes) {
      table = buildRouteTable({ settings: routes, config, catalogs: deps.catalogs.list(), normalize: (provider, id) => providerFor(provider).normalizeModelId(id) });
      builtFor = routes;
    }
    return table;
  };
  const routing: ProxyRouting = {
    table: current,
    planner,
    traffic,
    clock: deps.clock,
    githubServes: deps.githubServes,
    githubAccounts: deps.githubAccounts,
    bareIdFallback: () => deps.settings().bareIdFallback,
  };
  return () => (deps.catalogs.list().length > 0 ? routing : null);
}
