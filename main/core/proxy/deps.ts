import type { FastifyBaseLogger } from 'fastify';
import type { Settings } from '../../../shared/settings';
import type { Snapshot } from '../../../shared/snapshot';
import type { Engine } from '../engine-types';
import type { ModelCatalog } from '../limits/model-catalog';
import type { Redactor } from '../mask';
import type { Clock } from '../clock';
import type { Pool } from '../pool/types';
import type { RouteOutcome, RoutePlanner, RouteTable, RouteTraffic } from '../routes';
import type { Metrics, ProxiedInfo } from './metrics';

/** What the Fastify app needs from the engine. Handed in by the engine; never a module singleton. */
export interface ProxyDeps {
  pool: Pool;
  /** Cheap check on the request path (no snapshot building). */
  hasAccounts: () => boolean;
  catalog: () => ModelCatalog;
  /** Other providers' routing (route table, planner, traffic); absent or null while only GitHub Models has accounts. */
  routing?: () => ProviderRouting | null;
  settings: () => Settings;
  snapshot: () => Snapshot;
  /** false while the user has stopped the proxy: /v1 answers 503, admin and health stay up. */
  proxyRunning: () => boolean;
  version: string;
  startId: string;
  startedAt: number;
  logger: FastifyBaseLogger;
  /** The admin API (null: no admin routes, e.g. in narrow tests). */
  admin: Engine | null;
  adminKey: string;
  /** Built renderer to serve as the headless dashboard at `/` (null: none). */
  dashboardDir: string | null;
  /** Observers for metrics: request outcome with the proxy's own added time. */
  onProxied?: (info: ProxiedInfo) => void;
  /** Masks held keys and key shapes in error answers and status pages (default: key shapes only). */
  redactor?: Redactor;
  /** SWITCHYARD_INSECURE_NO_CLIENT_KEY: serve other machines without a client key (default: refuse them). */
  insecureNoClientKey?: boolean;
  /** The engine's metrics (its own prom-client registry) served at GET /metrics; absent: the app makes its own. */
  metrics?: Metrics;
}


/** The route table and what serves routes; absent while no account of another provider exists. */
export interface ProviderRouting {
  table: () => RouteTable;
  planner: RoutePlanner;
  traffic: RouteTraffic;
  clock: Clock;
  /** False when no GitHub Models account can serve (none, or the provider retired). */
  githubServes: () => boolean;
  /** True when some enabled GitHub Models account exists (retired or not: it answers for its models). */
  githubAccounts: () => boolean;
  bareIdFallback: () => boolean;
  /** Told of every answer of a named route (fallbacks are counted and announced from it). */
  onServed?: (outcome: RouteOutcome) => void;
  /** Settles when the providers' first live listing is in; null once it is (see planModelListed). */
  firstListing?: () => Promise<void> | null;
}
