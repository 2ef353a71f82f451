import type { FastifyInstance } from 'fastify';
import type { AccountView, Snapshot, SnapshotWarning } from '../../../../shared/snapshot';
import type { ProxyDeps } from '../deps';
import { exposureWarning } from '../exposure';

/** GET /health and GET /v1/tokens/stats: views of the one snapshot. */
export async function statusRoutes(app: FastifyInstance, deps: ProxyDeps): Promise<void> {
  app.get('/health', async () => {
    const snapshot = deps.snapshot();
    return {
      status: 'ok',
      version: deps.version,
      startId: deps.startId,
      uptimeSeconds: Math.round((Date.now() - deps.startedAt) / 1000),
      proxy: snapshot.proxy.status,
      accounts: countAccounts(snapshot.accounts),
      warnings: [...snapshot.warnings, ...healthWarnings(deps, snapshot)],
    };
  });
  app.get('/v1/tokens/stats', async () => tokenStats(deps.snapshot()));
}

/**
 * What a person should know about this instance, in plain words: one entry per source (add a source
 * here; each returns null when it has nothing to say).
 */
export function healthWarnings(deps: ProxyDeps, snapshot: Snapshot): SnapshotWarning[] {
  const sources: Array<() => SnapshotWarning | null> = [
    () => {
      const message = exposureWarning(snapshot.proxy.host, deps.settings().apiKey, deps.insecureNoClientKey === true);
      return message === null ? null : { code: 'listening_without_client_key', message };
    },
  ];
  return sources.map((source) => source()).filter((warning): warning is SnapshotWarning => warning !== null);
}

export function countAccounts(accounts: AccountView[]) {
  return {
    total: accounts.length,
    usable: accounts.filter((a) => a.status === 'ok' || a.status === 'checking').length,
    cooling: accounts.filter((a) => a.status === 'cooling' || a.blocks.some((b) => b.reason === 'rate-limit')).length,
    invalid: accounts.filter((a) => a.status === 'invalid').length,
    disabled: accounts.filter((a) => a.status === 'disabled').length,
  };
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/**
 * The old system's exact shape (`current_token`, `total_tokens`, `tokens[{key, isCurrent, blocked,
 * failures}]`) plus richer fields. `blocked` is true when the account can serve no model at all
 * (invalid, disabled, circuit open, or a user-wide limit); per-model limits are in `blocks`.
 */
export function tokenStats(snapshot: Snapshot) {
  return {
    current_token: snapshot.currentKey,
    total_tokens: snapshot.accounts.length,
    tokens: snapshot.accounts.map((a) => ({
      key: a.key,
      provider: a.provider,
      isCurrent: a.isCurrent,
      blocked: a.status === 'invalid' || a.status === 'disabled' || a.status === 'circuit-open' || a.status === 'cooling' || a.status === 'retired',
      failures: a.failures,
      login: a.login,
      masked: a.masked,
      plan: a.plan,
      status: a.status,
      statusReason: a.statusReason,
      sharesQuotaWith: a.sharesQuotaWith,
      blocks: a.blocks.map((b) => ({ model: b.model, reason: b.reason, limitType: b.limitType, until: iso(b.until), retryAfterSeconds: b.retryAfterSeconds })),
      userBlock: a.userBlock ? { limitType: a.userBlock.limitType, until: iso(a.userBlock.until), retryAfterSeconds: a.userBlock.retryAfterSeconds } : null,
      usage: a.usage.map((u) => ({ model: u.model, minute: u.minute, day: u.day, tokensDay: u.tokensDay, inFlight: u.inFlight, limits: u.limits })),
      totals: a.totals,
    })),
    exhausted_models: snapshot.exhaustedModels.map((m) => ({ model: m.model, until: iso(m.until) })),
    strategy: snapshot.strategy,
    started_at: iso(snapshot.startedAt),
    start_id: snapshot.startId,
    generated_at: iso(snapshot.generatedAt),
  };
}
