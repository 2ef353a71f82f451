// Routes: one model name, many providers (issue 12). The pool asks `resolveModel` what a model
// name stands for, `RoutePlanner.order` in which order to try its targets, and `routeRefusal`
// for the answer when none can serve.
export { routesFromConfig, type ConfigRoutesResult } from './config-routes';
export { defaultNormalize, indexCatalogs, type CatalogIndex, type NormalizeModelId } from './catalog-index';
export { FAMILY_TABLE, familyRoutes, UNCONFIRMED } from './families';
export { describeMissing, filterByNeeds, missingNeeds, requestNeeds, type Need, type RequestNeeds, type SkippedTarget } from './needs';
export { preferTarget, rotate, RoutePlanner, type TargetOrder } from './planner';
export { earliestReset, routeRefusal, type TargetRefusal } from './refusal';
export { resolveModel, type Resolution, type ResolveOptions, type RoutePlan } from './resolve';
export { serveRoute, type RouteOutcome, type Served, type ServeRouteDeps, type TargetAttempt } from './serve';
export { FallbackAnnouncer, fallbackOf, type RouteFallback } from './fallback';
export { targetHealth } from './health';
export { ConversationStickiness, conversationKey, type StickinessOptions } from './sticky';
export { buildRouteTable, describeDropped, type RouteTable, type RouteTableInput } from './table';
export { isProviderId, parseTarget, sameTarget, targetId } from './target';
export type { DropReason, DroppedTarget, LiveTarget, ProviderCatalog, Route, RouteDefinition, RouteTarget } from './types';
export { routeViews, RouteTraffic, type TargetHealth } from './view';
