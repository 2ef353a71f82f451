import { ProxyError } from '../errors';
import { suggestModelIds } from '../limits/model-id';
import { describeDropped, type RouteTable } from './table';
import { parseTarget } from './target';
import type { LiveTarget, Route } from './types';

/** What a model name a client sent stands for: targets in order of preference. */
export interface RoutePlan {
  /** As the client sent it. */
  requested: string;
  /** explicit: `{provider}/{model}`; route: a route name; bare: an id some provider lists. */
  kind: 'explicit' | 'route' | 'bare';
  /** The route's name (for `route`, and for a bare id served by several providers). */
  route: string | null;
  targets: LiveTarget[];
  spread: boolean;
}

export interface ResolveOptions {
  /** A bare id listed by several providers is served by all of them (Settings' bareIdFallback). */
  bareIdFallback: boolean;
}

export type Resolution = { ok: true; plan: RoutePlan } | { ok: false; error: ProxyError };

const notFound = (message: string) => new ProxyError(404, 'invalid_request_error', message, { code: 'model_not_found', param: 'model' });

function routePlan(requested: string, route: Route): Resolution {
  if (route.targets.length === 0) {
    const why = route.dropped.map(describeDropped).join('; ');
    return { ok: false, error: notFound(`No target of route ${route.name} can serve: ${why}.`) };
  }
  return { ok: true, plan: { requested, kind: 'route', route: route.name, targets: route.targets, spread: route.spread } };
}

/** Up to five names close to what was asked: route names, `{provider}/{model}` ids and bare ids. */
function suggestions(table: RouteTable, requested: string): string[] {
  return suggestModelIds(requested, [...table.modelIds(), ...table.targetIds()].map((id) => ({ id, name: id, publisher: '' })));
}

/**
 * Resolves a model name, in this order (DESIGN.md, "Model ids clients send"):
 * 1. `{provider}/{model}` whose provider has an account and lists the model: that provider only;
 * 2. a route name (a person's, else a built-in family);
 * 3. a bare id: every provider that lists it, in catalog order, as one route (only the first
 *    when bareIdFallback is off). GitHub-style ids with a publisher (`openai/gpt-oss-120b` at
 *    Groq) land here when the part before the slash is not a provider that lists the rest.
 * Anything else is a 404 that says why.
 */
export function resolveModel(table: RouteTable, requested: string, options: ResolveOptions): Resolution {
  const name = requested.trim();
  if (name === '') return { ok: false, error: new ProxyError(400, 'invalid_request_error', 'The model is empty: send a model id or a route name.', { code: 'invalid_model', param: 'model' }) };

  const explicit = parseTarget(name);
  if (explicit && table.catalogs.has(explicit.provider)) {
    const entry = table.catalogs.find(explicit.provider, explicit.model);
    if (entry) return { ok: true, plan: { requested, kind: 'explicit', route: null, targets: [{ provider: explicit.provider, model: entry.id, entry }], spread: false } };
  }

  const route = table.get(name);
  if (route) return routePlan(requested, route);

  const listing = table.catalogs.listing(name);
  if (listing.length > 0) {
    const targets = listing.map(({ provider, entry }) => ({ provider, model: entry.id, entry }));
    const across = options.bareIdFallback && targets.length > 1;
    return { ok: true, plan: { requested, kind: 'bare', route: across ? name : null, targets: across ? targets : targets.slice(0, 1), spread: false } };
  }

  const close = suggestions(table, name);
  const hint = close.length > 0 ? ` Did you mean ${close.join(', ')}?` : '';
  if (explicit && !table.catalogs.has(explicit.provider)) {
    return { ok: false, error: notFound(`No ${explicit.provider} account is configured, so ${name} cannot be served.${hint} GET /v1/models lists what can.`) };
  }
  if (explicit) return { ok: false, error: notFound(`${explicit.provider}'s catalog does not list ${explicit.model}.${hint} GET /v1/models lists what can be served.`) };
  return { ok: false, error: notFound(`The model '${name}' is not a route and no provider with an account lists it.${hint} GET /v1/models lists what can be served.`) };
}
