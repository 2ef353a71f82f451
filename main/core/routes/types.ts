import type { RouteOrigin } from '../../../shared/routes';
import type { ProviderId, ProviderModel } from '../providers/types';

/** One place a route can send a request: a provider and the model's id there. */
export interface RouteTarget {
  provider: ProviderId;
  model: string;
}

/** A target that can serve: the catalog's own entry for the model (its exact id and capabilities). */
export interface LiveTarget extends RouteTarget {
  entry: ProviderModel;
}

/** Why a route's target cannot serve at all (it never reaches the pool). */
export type DropReason = 'unknown-provider' | 'no-account' | 'not-in-catalog';

export interface DroppedTarget {
  /** As written: `{provider}/{model}`. */
  target: string;
  reason: DropReason;
}

/** A route as the engine serves it, its targets checked against the catalogs. */
export interface Route {
  name: string;
  origin: RouteOrigin;
  spread: boolean;
  /** In order of preference, each one served by some account's catalog. */
  targets: LiveTarget[];
  dropped: DroppedTarget[];
  /** A route of this name from another origin that this one hides. */
  shadows: RouteOrigin | null;
}

/** The models one provider serves, as the engine holds them (only providers that have an account). */
export interface ProviderCatalog {
  provider: ProviderId;
  /** In the provider's catalog order. */
  models: readonly ProviderModel[];
}

/** A route as a person or the bundled table writes it, before any check. */
export interface RouteDefinition {
  name: string;
  /** `{provider}/{model}` each. */
  targets: readonly string[];
  spread?: boolean;
}
