/** The simulator of every provider's API (GitHub Models at the root, the others below their prefixes): a real HTTP server for tests, benches and `serve --simulate`. */
export { startSimulator, type Simulator } from './server';
export type { SimulatorControl } from './control';
export type {
  SimulatorOptions,
  SimUser,
  StreamOptions,
  RandomFaultOptions,
  RateLimitVariant,
  ConcreteRateLimitVariant,
  CatalogEntry,
} from './options';
export type { ScriptedFault, FailNextOptions } from './faults';
export type { Endpoint } from './routes';
export type { SimulatorStats, Counters, KeyStats, RequestLogEntry } from './stats';
export {
  QuotaModel,
  WINDOW_SECONDS,
  type QuotaOptions,
  type QuotaLimits,
  type ResolvedLimits,
  type LimitsOverride,
  type QuotaDecision,
  type QuotaGranted,
  type QuotaExceeded,
  type QuotaForbidden,
  type QuotaUsage,
  type WindowUsage,
  type SimLimitType,
} from './quota';
export { DEFAULT_CATALOG } from './catalog';
export { rateLimitMessage } from './replies';
export { DEMO_USERS, DEMO_TOKENS, DEMO_ACCOUNTS, DEMO_LIMITS, demoSimulatorOptions, type DemoAccount, type DemoSetup } from './demo';
export { SIM_PROVIDERS, type SimProviderId, type ProviderKey, type ProviderLimits, type SimModel, type MeterView } from './providers/types';
export type { ProviderSettings, ProviderFault, ProviderFaultOptions } from './providers/runtime';
export { DIALECTS, providerBaseUrl, simulatorBaseUrlEnv } from './providers/registry';
export { RETIRED_BODY } from './replies';
export { loadSimulatorState, saveSimulatorState, type SimulatorState } from './state';
export { demoPool, demoPoolEnv, DEMO_POOL_SETTINGS, DEMO_ROUTES, type DemoPool, type DemoPoolAccount, type DemoProvider } from './demo-pool';
export { startPersistentSimulator } from './persistent';
