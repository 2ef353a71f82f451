import type { FastifyReply, FastifyRequest } from 'fastify';
import { ProxyError } from '../errors';
import { mapNetworkError } from '../upstream/network-errors';
import type { InferenceKind } from '../upstream/types';
import type { ProxyDeps } from './deps';
import { relayHeaders, relayJson, relayStream, type RelayOutcome } from './relay';
import { chatRequestSchema, embeddingsRequestSchema, parseBody } from './request-schemas';

const msSince = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;

/** Validate → resolve the model → dispatch over the pool → relay. Orchestration only. */
export async function handleInference(kind: InferenceKind, request: FastifyRequest, reply: FastifyReply, deps: ProxyDeps): Promise<void> {
  const started = process.hrtime.bigint();
  if (!deps.proxyRunning()) {
    throw new ProxyError(503, 'service_unavailable', 'The Switchyard proxy is stopped. Start it from the tray menu, the dashboard, or with the admin API (POST /admin/api/proxy/start).', { code: 'proxy_stopped' });
  }
  const body = kind === 'chat' ? parseBody(chatRequestSchema, request.body) : parseBody(embeddingsRequestSchema, request.body);
  const resolved = deps.catalog().resolve(body.model);
  if (!resolved.ok) {
    const hint = resolved.suggestions.length ? ` Did you mean: ${resolved.suggestions.join(', ')}?` : '';
    throw new ProxyError(404, 'invalid_request_error', `The model '${body.model}' does not exist on GitHub Models.${hint} GET /v1/models lists them all.`, { code: 'model_not_found', param: 'model' });
  }
  if (!deps.hasAccounts()) {
    throw new ProxyError(503, 'service_unavailable', 'No GitHub account is configured. Add one: set GITHUB_TOKEN (and GITHUB_TOKEN2, GITHUB_TOKEN3, … for more accounts) in the environment and restart, or paste a token in the dashboard under Settings → Add account.', { code: 'no_accounts' });
  }

  const stream = kind === 'chat' && (body as { stream?: boolean }).stream === true;
  const upstreamBody = Buffer.from(JSON.stringify({ ...body, model: resolved.model.id }));
  const controller = new AbortController();
  const onClose = () => {
    if (!reply.raw.writableFinished) controller.abort(new Error('client closed the connection'));
  };
  reply.raw.once('close', onClose);

  const dispatchStart = process.hrtime.bigint();
  const result = await deps.pool.dispatch({
    kind,
    model: resolved.model,
    body: upstreamBody,
    stream,
    signal: controller.signal,
    clientId: clientIdOf(request),
  });
  const dispatchMs = msSince(dispatchStart);
  if (!result.ok) {
    report(deps, kind, resolved.model.id, null, result.error.status, stream, msSince(started) - dispatchMs, started);
    reply.raw.off('close', onClose);
    throw result.error; // written to a closed socket when the client is gone: harmless
  }

  const addedMs = Math.max(0, msSince(started) - dispatchMs);
  const headers = relayHeaders(result, addedMs);
  let outcome: RelayOutcome = { completed: false };
  let status = result.reply.status;
  try {
    const isSse = (result.reply.headers['content-type'] ?? '').includes('text/event-stream');
    outcome = isSse ? await relayStream(reply, result, headers, controller.signal) : await relayJson(reply, result, headers);
  } catch (error) {
    // Only a JSON answer can fail here, before anything was sent: the client gets the real status.
    const failure = error instanceof ProxyError ? error : brokenAnswer(error);
    status = failure.status;
    throw failure;
  } finally {
    reply.raw.off('close', onClose);
    if (!outcome.completed) result.reply.body.destroy();
    report(deps, kind, resolved.model.id, result.account, status, stream, addedMs, started);
  }
}

/** Upstream sent its headers, then its body broke off (reset, idle timeout). */
function brokenAnswer(error: unknown): ProxyError {
  const network = mapNetworkError(error);
  const timedOut = network.failure === 'idle_timeout';
  return new ProxyError(timedOut ? 504 : 502, 'upstream_error', `GitHub Models started answering, then the answer broke off (${network.message}). Retry the request.`, {
    code: timedOut ? 'upstream_timeout' : 'upstream_error',
  });
}

function report(deps: ProxyDeps, route: InferenceKind, model: string, account: string | null, status: number, stream: boolean, addedMs: number, started: bigint): void {
  deps.onProxied?.({ route, model, account, status, stream, addedMs, totalMs: msSince(started) });
}

/** Per-client identity for inbound limits and accounting: its API key, else its address. */
export function clientIdOf(request: FastifyRequest): string {
  const auth = request.headers.authorization;
  if (auth?.startsWith('Bearer ') && auth.length > 7) return `key:${auth.slice(-6)}`;
  return `ip:${request.ip}`;
}
