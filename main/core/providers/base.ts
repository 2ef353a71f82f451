import { bundledModels, normalizeId, parseOpenAiModelList } from './catalog';
import { bearer, getJson, joinUrl, OPERATION_PATHS, postJson } from './http';
import { messageOf, parseBody } from './parse/json';
import { limitSignal } from './signal';
import { translateError } from './translate-error';
import type { Operation, ProviderCredentials, ProviderDescriptor } from './types';

/** What a provider that speaks OpenAI's dialect states; everything else has OpenAI's defaults. */
export type OpenAiLikeConfig = Pick<ProviderDescriptor, 'id' | 'name' | 'env' | 'defaultBaseUrl' | 'keyPatterns' | 'about' | 'readLimit'> &
  Partial<Omit<ProviderDescriptor, 'buildRequest' | 'catalogRequest' | 'bundledCatalog'>> & {
    /** The bundled snapshot (catalogs/{id}.json). */
    bundled: unknown;
    /** The OpenAI-style base the operation paths hang off (Cloudflare: the account path). */
    apiBase?(creds: ProviderCredentials): string;
    /** Auth headers; Bearer by default. */
    auth?(creds: ProviderCredentials): Record<string, string>;
    /** The provider's quirks applied to a body (fields stripped, renamed, defaulted): the same object when none applies. */
    prepareBody?(op: Operation, body: Record<string, unknown>): Record<string, unknown>;
    /** The models list address; `{apiBase}/models` by default. */
    catalogUrl?(creds: ProviderCredentials): string;
  };

/** A descriptor for an OpenAI-compatible provider: bearer auth, `{base}/chat/completions`, `{base}/models`. */
export function openAiLike(config: OpenAiLikeConfig): ProviderDescriptor {
  const { bundled, apiBase, auth, prepareBody, catalogUrl, readLimit, ...rest } = config;
  const baseOf = apiBase ?? ((creds: ProviderCredentials) => creds.baseUrl);
  const headersOf = auth ?? ((creds: ProviderCredentials) => bearer(creds.key));
  const normalizeModelId = config.normalizeModelId ?? normalizeId;
  const snapshot = bundledModels(bundled);
  return {
    parseCatalog: (json) => parseOpenAiModelList(json),
    readRemaining: () => [],
    translateError,
    ...rest,
    normalizeModelId,
    readLimit(status, headers, bodyText, now) {
      return readLimit(status, headers, bodyText, now) ?? readGenericLimit(status, bodyText, now);
    },
    buildRequest(op, creds, body, sent) {
      const prepared = prepareBody ? prepareBody(op, body) : body;
      return postJson(joinUrl(baseOf(creds), OPERATION_PATHS[op]), headersOf(creds), sent && prepared === body ? sent : prepared);
    },
    catalogRequest(creds) {
      return getJson(catalogUrl ? catalogUrl(creds) : joinUrl(baseOf(creds), 'models'), headersOf(creds));
    },
    bundledCatalog: () => snapshot.map((model) => ({ ...model, operations: [...model.operations] })),
  };
}

/**
 * What any provider's 413 and 402 mean when its own reader has nothing finer: the request is
 * larger than a limit (the client's error, no cooldown), or the credits are gone (a person acts).
 */
function readGenericLimit(status: number, bodyText: string, now: number) {
  if (status !== 413 && status !== 402) return null;
  const message = messageOf(parseBody(bodyText)) ?? (bodyText.trim() || (status === 413 ? 'Request too large' : 'Payment required'));
  const window = { period: null, unit: null };
  return limitSignal({ scope: status === 413 ? 'request' : 'credits', window, now, resetAt: null, source: 'body', message });
}
