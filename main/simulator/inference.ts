import type { Plan } from '../../shared/domain';
import { isForbidden } from './catalog';
import { replyChat, type ChatRequest } from './chat';
import { estimateTokens, promptText } from './content';
import type { SimContext } from './context';
import { embeddingInputs, replyEmbeddings, type EmbeddingsRequest } from './embeddings';
import type { Exchange } from './exchange';
import type { FaultAction } from './faults';
import type { CatalogEntry } from './options';
import { WINDOW_SECONDS, type QuotaGranted, type SimLimitType } from './quota';
import {
  sendBadRequest,
  sendForbidden,
  sendRateLimited,
  sendRetired,
  sendServerError,
  sendTokensLimit,
  sendUnauthorized,
  sendUnknownModel,
} from './replies';

/**
 * POST chat/completions and embeddings: read the body, decide the answer (auth, model, faults,
 * plan, size, quota), wait `latencyMs` while holding the quota slot, then answer.
 */

const MAX_BODY_BYTES = 8 * 1024 * 1024;

interface Outcome {
  write: () => void | Promise<void>;
  lease?: QuotaGranted;
  extraDelayMs?: number;
}

export async function handleInference(ctx: SimContext, x: Exchange): Promise<void> {
  const raw = await x.readBody(MAX_BODY_BYTES);
  if (x.gone) return;
  if (ctx.settings.githubRetired) return sendRetired(x);
  const outcome = decide(ctx, x, raw);
  try {
    if (outcome.write === hang) return;
    if (await x.delay(ctx.settings.latencyMs + (outcome.extraDelayMs ?? 0))) await outcome.write();
  } finally {
    outcome.lease?.release();
  }
}

/** Never answers: the exchange stays open until the client (or close()) ends the connection. */
const hang = () => {};

function decide(ctx: SimContext, x: Exchange, raw: Buffer | null): Outcome {
  const user = ctx.users.authenticate(x.req.headers);
  if (!user) return { write: () => sendUnauthorized(x) };
  if (raw === null) return { write: () => sendBadRequest(x, 'request_too_large', 'The request body is too large.', 413) };
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch {
    return { write: () => sendBadRequest(x, 'invalid_request_body', 'The request body is not valid JSON.') };
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    return { write: () => sendBadRequest(x, 'invalid_request_body', 'The request body must be a JSON object.') };
  }
  const request = body as ChatRequest & EmbeddingsRequest & { model?: unknown };
  const modelId = typeof request.model === 'string' ? request.model : '';
  x.stream = x.endpoint === 'chat' && request.stream === true;
  if (!modelId) return { write: () => sendBadRequest(x, 'invalid_request_body', 'The request body has no model.') };
  ctx.stats.identify(x, user.login, modelId);
  const model = ctx.models.find(modelId);
  if (!model) return { write: () => sendUnknownModel(x, modelId) };

  const fault = ctx.faults.next({ endpoint: x.endpoint, login: user.login, model: model.id });
  if (fault) x.fault = fault.kind;
  if (fault && fault.kind !== 'slow') return playFault(ctx, x, fault, user.plan, model, request, user.login);

  let inputs: string[] | null = null;
  if (x.endpoint === 'embeddings') {
    inputs = embeddingInputs(request.input);
    if (!inputs) return { write: () => sendBadRequest(x, 'invalid_request_body', "'input' must be a string or an array of strings.") };
  } else if (!Array.isArray(request.messages)) {
    return { write: () => sendBadRequest(x, 'invalid_request_body', "'messages' must be an array.") };
  }
  if (isForbidden(model, user.forbiddenModels)) return { write: () => sendForbidden(x) };
  const limits = ctx.quota.limitsOf(model, user.plan);
  if (!limits) return { write: () => sendForbidden(x) };
  const tokens = inputs ? inputs.reduce((n, text) => n + estimateTokens(text), 0) : estimateTokens(promptText(request.messages));
  if (tokens > limits.maxInputTokens) {
    const name = model.id.split('/').pop() ?? model.id;
    return { write: () => sendTokensLimit(x, name, limits.maxInputTokens) };
  }

  const decision = ctx.quota.acquire(user.login, user.plan, model, tokens);
  if (!decision.ok) {
    if (decision.status === 403) return { write: () => sendForbidden(x) };
    const variant = ctx.nextVariant();
    return { write: () => sendRateLimited(x, decision, variant) };
  }
  const slowMs = fault?.kind === 'slow' ? fault.delayMs : null;
  const chunkDelayMs = slowMs ?? ctx.settings.chunkDelayMs;
  const write = inputs
    ? () => replyEmbeddings(ctx, x, request, inputs, model, false)
    : () => replyChat(ctx, x, request, model, user.login, { chunkDelayMs, resetMidResponse: false });
  return { write, lease: decision, extraDelayMs: slowMs ?? 0 };
}

function playFault(
  ctx: SimContext,
  x: Exchange,
  fault: Exclude<FaultAction, { kind: 'slow' }>,
  plan: Plan,
  model: CatalogEntry,
  request: ChatRequest & EmbeddingsRequest,
  login: string,
): Outcome {
  switch (fault.kind) {
    case '429': {
      const reply = {
        limitType: fault.limitType,
        limit: fault.limit ?? limitFor(ctx, fault.limitType, plan, model),
        windowSeconds: WINDOW_SECONDS[fault.limitType],
        waitSeconds: fault.seconds,
      };
      const variant = fault.variant ?? ctx.nextVariant();
      return { write: () => sendRateLimited(x, reply, variant) };
    }
    case '5xx':
      return { write: () => sendServerError(x, fault.status, fault.html) };
    case 'hang':
      return { write: hang };
    case '401':
      return { write: () => sendUnauthorized(x) };
    case '403':
      return { write: () => sendForbidden(x) };
    case 'reset': {
      if (!fault.midResponse) return { write: () => x.reset() };
      const inputs = x.endpoint === 'embeddings' ? (embeddingInputs(request.input) ?? ['']) : null;
      const chunkDelayMs = ctx.settings.chunkDelayMs;
      return {
        write: inputs
          ? () => replyEmbeddings(ctx, x, request, inputs, model, true)
          : () => replyChat(ctx, x, request, model, login, { chunkDelayMs, resetMidResponse: true }),
      };
    }
  }
}

/** N for an injected 429's message: the user's own limit of that type where one applies. */
function limitFor(ctx: SimContext, type: SimLimitType, plan: Plan, model: CatalogEntry): number {
  const limits = ctx.quota.limitsOf(model, plan);
  switch (type) {
    case 'UserByModelByDay':
      return limits?.perDay ?? 50;
    case 'UserByModelByMinute':
      return limits?.perMinute ?? 10;
    case 'UserByMinute':
      return ctx.userPerMinute ?? limits?.perMinute ?? 10;
    case 'UserConcurrentRequests':
      return limits?.concurrent ?? 2;
    case 'UserByModelByMinuteTokens':
      return limits?.tokensPerMinute ?? 20_000;
  }
}
