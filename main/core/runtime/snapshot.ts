import type { Settings } from '../../../shared/settings';
import type { ProxyView, Snapshot, SnapshotWarning } from '../../../shared/snapshot';
import type { PoolSnapshot } from '../pool/types';
import type { Listener } from './listener';
import type { ProviderRoutingHandle } from './provider-routing';

export interface SnapshotParts {
  version: string;
  startId: string;
  startedAt: number;
  simulate: boolean;
  settings: Settings;
  running: boolean;
  listener: Listener | null;
  pool: PoolSnapshot | null;
  /** Masks keys in the text fields the pool wrote from upstream answers (statusReason). */
  redact?: (text: string) => string;
  /** Warnings of other sources than the pool (e.g. an unsafe listening address). */
  warnings?: readonly SnapshotWarning[];
  /** The live routing: each route with its targets' state and traffic, and the targets Settings offers. */
  routing?: Pick<ProviderRoutingHandle, 'views' | 'targets'> | null;
}

const EMPTY_POOL: PoolSnapshot = { accounts: [], currentKey: null, exhaustedModels: [], warnings: [], traffic: { inFlight: 0, queued: 0, history: [], bucketMs: 600_000 } };

/** The one snapshot every view renders. */
export function composeSnapshot(parts: SnapshotParts): Snapshot {
  const pool = parts.pool ?? EMPTY_POOL;
  const redact = parts.redact;
  const now = Date.now();
  return {
    version: parts.version,
    startId: parts.startId,
    startedAt: parts.startedAt,
    generatedAt: now,
    simulate: parts.simulate,
    proxy: proxyView(parts),
    strategy: parts.settings.strategy,
    currentKey: pool.currentKey,
    accounts: redact ? pool.accounts.map((a) => (a.statusReason ? { ...a, statusReason: redact(a.statusReason) } : a)) : pool.accounts,
    exhaustedModels: pool.exhaustedModels,
    traffic: pool.traffic,
    warnings: [...pool.warnings, ...(parts.warnings ?? [])],
    routes: parts.routing?.views(pool.accounts, now) ?? [],
    routeTargets: parts.routing?.targets() ?? [],
  };
}

function proxyView({ listener, settings, running }: SnapshotParts): ProxyView {
  const bound = listener?.address;
  const host = bound?.host ?? settings.host;
  const port = bound?.port ?? settings.port;
  const listenStatus = listener?.status ?? { status: 'stopped' as const, error: null };
  const status = listenStatus.status === 'running' && !running ? 'stopped' : listenStatus.status;
  return { status, host, port, baseUrl: `${baseOrigin(host, port)}/v1`, error: listenStatus.error, apiKeyRequired: Boolean(settings.apiKey) };
}

/** The origin a client on this machine uses: wildcard hosts are reached through loopback. */
export function baseOrigin(host: string, port: number): string {
  const reachable = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
  return `http://${reachable.includes(':') ? `[${reachable}]` : reachable}:${port}`;
}
