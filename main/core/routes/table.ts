import type { RouteOrigin } from '../../../shared/routes';
import { indexCatalogs, type CatalogIndex, type NormalizeModelId } from './catalog-index';
import { familyRoutes } from './families';
import { parseTarget, sameTarget, targetId } from './target';
import type { DroppedTarget, LiveTarget, ProviderCatalog, Route, RouteDefinition } from './types';

export interface RouteTableInput {
  /** Routes saved in Settings, in their order. */
  settings?: readonly RouteDefinition[];
  /** Routes of the config file (`routes:`); for this run they hide saved routes of the same name. */
  config?: readonly RouteDefinition[];
  /** Built-in families; the bundled table unless given. */
  families?: readonly RouteDefinition[];
  /** The catalogs the engine holds, one per provider that has an account, in account order. */
  catalogs: readonly ProviderCatalog[];
  normalize?: NormalizeModelId;
}

/** Every route the engine serves now, and the catalogs they were checked against. */
export interface RouteTable {
  /** A route by the name a client sends (case-insensitive). */
  get(name: string): Route | null;
  /** The person's routes (config file, then Settings), then the families that can serve. */
  routes(): readonly Route[];
  /** Route names `/v1/models` lists: every route of the person, and each family with a live target. */
  modelIds(): string[];
  /** Every `{provider}/{model}` the catalogs serve (for `/v1/models` and the targets Settings offers). */
  targetIds(): string[];
  catalogs: CatalogIndex;
}

function checkTargets(definition: RouteDefinition, catalogs: CatalogIndex): { targets: LiveTarget[]; dropped: DroppedTarget[] } {
  const targets: LiveTarget[] = [];
  const dropped: DroppedTarget[] = [];
  for (const written of definition.targets) {
    const parsed = parseTarget(written);
    if (!parsed) dropped.push({ target: written, reason: 'unknown-provider' });
    else if (!catalogs.has(parsed.provider)) dropped.push({ target: written, reason: 'no-account' });
    else {
      const entry = catalogs.find(parsed.provider, parsed.model);
      if (!entry) dropped.push({ target: written, reason: 'not-in-catalog' });
      else if (!targets.some((t) => sameTarget(t, { provider: parsed.provider, model: entry.id }))) targets.push({ provider: parsed.provider, model: entry.id, entry });
    }
  }
  return { targets, dropped };
}

/**
 * Builds the route table. A name is served by one route only: the config file's over Settings',
 * a person's over a family's. A family keeps only the targets some account's catalog lists, and
 * is left out when none remain; a person's route keeps its dropped targets for the views.
 */
export function buildRouteTable(input: RouteTableInput): RouteTable {
  const catalogs = indexCatalogs(input.catalogs, input.normalize);
  const byName = new Map<string, Route>();
  const ordered: Route[] = [];
  const layers: Array<[RouteOrigin, readonly RouteDefinition[]]> = [
    ['config', input.config ?? []],
    ['settings', input.settings ?? []],
    ['family', input.families ?? familyRoutes()],
  ];
  for (const [origin, definitions] of layers) {
    for (const definition of definitions) {
      const key = definition.name.trim().toLowerCase();
      const existing = byName.get(key);
      if (existing) {
        existing.shadows ??= origin;
        continue;
      }
      const checked = checkTargets(definition, catalogs);
      if (origin === 'family' && checked.targets.length === 0) continue;
      const route: Route = { name: definition.name.trim(), origin, spread: definition.spread ?? false, ...checked, shadows: null };
      byName.set(key, route);
      ordered.push(route);
    }
  }
  return {
    get: (name) => byName.get(name.trim().toLowerCase()) ?? null,
    routes: () => ordered,
    modelIds: () => ordered.map((route) => route.name),
    targetIds: () => catalogs.all().map(({ provider, entry }) => targetId({ provider, model: entry.id })),
    catalogs,
  };
}

/** Words for a dropped target: "groq/x: no groq account". */
export function describeDropped(dropped: DroppedTarget): string {
  const parsed = parseTarget(dropped.target);
  switch (dropped.reason) {
    case 'unknown-provider':
      return `${dropped.target}: not a known provider (write it as provider/model, like groq/llama-3.3-70b-versatile)`;
    case 'no-account':
      return `${dropped.target}: no ${parsed?.provider ?? 'such'} account`;
    case 'not-in-catalog':
      return `${dropped.target}: ${parsed ? `${parsed.provider}'s catalog does not list ${parsed.model}` : 'not listed'}`;
  }
}

