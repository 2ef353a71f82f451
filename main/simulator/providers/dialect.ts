import type { IncomingHttpHeaders } from 'node:http';
import type { Admission, Exceeded, MeterSpec, MeterView, ProviderKey, ProviderLimits, Reply, SimModel, SimProviderId } from './types';
import { jsonReply } from './types';

/** What the request below a provider's prefix asks for. */
export interface Route {
  op: 'chat' | 'embeddings' | 'models' | 'extra';
  /** The path below the prefix (for `extra`). */
  path: string;
  /** Cloudflare: the account id in the path. */
  accountId?: string;
}


/**
 * One provider's API as the simulator speaks it: paths, auth, models list, how it counts quota,
 * and every answer in its own dialect. One file per provider builds one of these.
 */
export interface Dialect {
  id: SimProviderId;
  /** Where its base URL sits on the simulator, e.g. '/groq/openai/v1'. */
  prefix: string;
  route(method: string, path: string): Route | null;
  /** The token a request authenticates with (Bearer by default; Azure also reads `api-key`). */
  token?(headers: IncomingHttpHeaders): string | null;
  /** OpenRouter lists its models without a key. */
  publicModels?: boolean;
  defaultLimits: ProviderLimits;
  models: readonly SimModel[];
  /** The counters a request of `model` is charged to, with `limits` resolved for it. */
  meters(limits: ProviderLimits, model: SimModel, key: ProviderKey): MeterSpec[];
  /** Tokens a request counts: default the prompt plus the reply. Cerebras/Azure reserve max tokens. */
  countedTokens?(prompt: number, completion: number, maxTokens: number | null): number;
  /** Model ids as clients may send them (Gemini accepts `models/…`). */
  normaliseModel?(id: string): string;
  authFailed(): Reply;
  badRequest(message: string): Reply;
  unknownModel(id: string): Reply;
  /** Strict request checks (Mistral's extra_forbidden). */
  refuse?(body: Record<string, unknown>, operation: 'chat' | 'embeddings'): Reply | null;
  /** A single request larger than a limit (Groq 413), or null. */
  tooLarge?(admission: Admission, specs: readonly MeterSpec[]): Reply | null;
  /** Credits or billing gone (OpenRouter 402, OpenAI insufficient_quota), or null. */
  creditsGone?(key: ProviderKey, model: SimModel): Reply | null;
  /** A limit refused the request; `views` are its counters (nothing was counted). */
  limited(exceeded: Exceeded, admission: Admission, now: number, views: readonly MeterView[]): Reply;
  /** Rate-limit headers on success, from the request's counters after it was counted. */
  successHeaders?(views: readonly MeterView[], admission: Admission): Record<string, string>;
  modelsList(models: readonly SimModel[]): Reply;
  /** The provider's capacity answer (not the account's quota); `until` when it throttles the model for everyone. */
  capacity(model: string, now: number, until: number | null): Reply;
  /** A capacity fault throttles the model for every key this long (OpenRouter's upstream 429s). */
  capacitySeconds?: number;
  serverError(status: 500 | 503): Reply;
  stream: { comments?: readonly string[]; usage: 'always' | 'asked' };
  /** Other endpoints (OpenRouter GET /key, Cloudflare tokens/verify). */
  extra?(method: string, path: string, key: ProviderKey | null, context: ExtraContext): Reply | null;
}

export interface ExtraContext {
  now: number;
  view(owner: string, model: string, spec: MeterSpec): MeterView;
  limitsOf(model: SimModel | null): ProviderLimits;
}

/** `/chat/completions`, `/embeddings`, `/models` below an OpenAI-style base URL. */
export function openaiRoute(method: string, path: string): Route | null {
  const p = path.replace(/\/+$/, '') || '/';
  if (method === 'POST' && p === '/chat/completions') return { op: 'chat', path: p };
  if (method === 'POST' && p === '/embeddings') return { op: 'embeddings', path: p };
  if ((method === 'GET' || method === 'HEAD') && p === '/models') return { op: 'models', path: p };
  return null;
}

export function bearer(headers: IncomingHttpHeaders): string | null {
  const match = /^bearer\s+(\S+)\s*$/i.exec(headers.authorization ?? '');
  return match?.[1] ?? null;
}

/** OpenAI's error envelope, which most providers use. */
export function openaiError(status: number, message: string, type: string, code: string | null, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}): Reply {
  return jsonReply(status, { error: { message, type, param: null, code, ...extra } }, headers);
}

/** The plain OpenAI-shaped models list. */
export function openaiModels(models: readonly SimModel[], ownedBy: string, extra: (m: SimModel) => Record<string, unknown> = () => ({})): Reply {
  const created = 1_735_689_600;
  return jsonReply(200, { object: 'list', data: models.map((m) => ({ id: m.id, object: 'model', created, owned_by: ownedBy, ...extra(m) })) });
}

/** A limit's value for a model: the model's own, else the provider's. */
export function limitOf(limits: ProviderLimits, name: keyof ProviderLimits): number | null {
  const v = limits[name];
  return typeof v === 'number' && v >= 0 ? v : null;
}

/**
 * RPD, RPM, TPM and TPD per (owner, model), each present when its limit is: on buckets that
 * refill continuously (Groq, Cerebras) or on windows that open at the first request (OpenAI).
 */
export function perModelMeters(limits: ProviderLimits, kind: 'bucket' | 'window'): MeterSpec[] {
  const out: MeterSpec[] = [];
  const add = (name: 'rpm' | 'rpd' | 'tpm' | 'tpd', unit: 'requests' | 'tokens', seconds: number) => {
    const limit = limitOf(limits, name);
    if (limit !== null) out.push({ name, unit, limit, clock: { kind, seconds }, scope: 'model' });
  };
  add('rpd', 'requests', 86_400);
  add('rpm', 'requests', 60);
  add('tpm', 'tokens', 60);
  add('tpd', 'tokens', 86_400);
  return out;
}
