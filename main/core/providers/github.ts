import type { LimitType } from '../../../shared/domain';
import { GITHUB_TOKEN } from '../mask';
import { bundledCatalogModels } from '../limits/model-catalog';
import { normalizeModelId } from '../limits/model-id';
import { parseCatalogModels } from '../upstream/catalog-schema';
import { GITHUB_API_VERSION } from '../upstream/client';
import { readErrorInfo } from '../upstream/error-info';
import { parseRateLimit } from '../upstream/rate-limit';
import type { CatalogModel } from '../upstream/types';
import { getJson, joinUrl, postJson, USER_AGENT } from './http';
import { isRecord, str } from './parse/json';
import { limitSignal } from './signal';
import { translateError } from './translate-error';
import type { LimitScope, LimitSignal, LimitWindow, Operation, ProviderCredentials, ProviderDescriptor, ProviderModel, ResetSource } from './types';

export const GITHUB_DEFAULT_API_BASE_URL = 'https://api.github.com';
export const GITHUB_RETIRED = {
  since: '2026-07-30',
  message: 'GitHub retired GitHub Models on 2026-07-30; its API answers 410. Microsoft Foundry (Azure OpenAI) is the successor.',
};

const PATHS: Record<Operation, string> = { chat: 'inference/chat/completions', embeddings: 'inference/embeddings' };

/** What each of GitHub Models' limit types means (github-models-api.md, "Limit types seen"). */
const LIMIT_TYPES: Record<LimitType, { scope: LimitScope; window: LimitWindow }> = {
  UserByModelByDay: { scope: 'model', window: { period: 'day', unit: 'requests' } },
  UserByModelByMinute: { scope: 'model', window: { period: 'minute', unit: 'requests' } },
  UserByModelByMinuteTokens: { scope: 'model', window: { period: 'minute', unit: 'tokens' } },
  UserByMinute: { scope: 'owner', window: { period: 'minute', unit: 'requests' } },
  UserByDay: { scope: 'owner', window: { period: 'day', unit: 'requests' } },
  UserConcurrentRequests: { scope: 'concurrency', window: { period: null, unit: null } },
  Unknown: { scope: 'model', window: { period: null, unit: null } },
};

const SOURCES: Record<string, ResetSource> = {
  'x-ratelimit-timeremaining': 'reset-header',
  'retry-after': 'retry-after',
  message: 'prose',
  default: 'default',
};

function headers(creds: ProviderCredentials): Record<string, string> {
  return {
    authorization: `Bearer ${creds.key}`,
    accept: 'application/vnd.github+json',
    'x-github-api-version': GITHUB_API_VERSION,
    'user-agent': USER_AGENT,
  };
}

function toModel(model: CatalogModel): ProviderModel {
  const embeds = (model.supported_output_modalities ?? []).includes('embeddings') || /embedding/i.test(model.id);
  return {
    id: model.id,
    upstreamId: model.id,
    operations: embeds ? ['embeddings'] : ['chat'],
    capabilities: {
      tools: (model.capabilities ?? []).includes('tool-calling'),
      vision: (model.supported_input_modalities ?? []).includes('image'),
    },
    ...(model.limits?.max_input_tokens !== undefined ? { contextWindow: model.limits.max_input_tokens } : {}),
  };
}

/** GitHub Models' 429 through the existing reader (upstream/rate-limit.ts), as a limit signal; 413 is the request's. */
function readLimit(status: number, answerHeaders: Record<string, string>, bodyText: string, now: number): LimitSignal | null {
  if (status === 413) {
    return limitSignal({ scope: 'request', window: { period: null, unit: 'tokens' }, now, resetAt: null, source: 'body', message: readErrorInfo(status, answerHeaders, bodyText).message });
  }
  if (status !== 429) return null;
  const info = parseRateLimit(answerHeaders, bodyText, 60, now);
  const meaning = LIMIT_TYPES[info.limitType];
  return limitSignal({
    ...meaning,
    now,
    delayMs: info.resetSeconds * 1000,
    source: SOURCES[info.source] ?? 'default',
    message: readErrorInfo(status, answerHeaders, bodyText).message,
    boundBy: meaning.window.period ?? 'day',
    extra: { githubLimitType: info.limitType },
  });
}

export const github: ProviderDescriptor = {
  id: 'github',
  name: 'GitHub Models',
  retired: GITHUB_RETIRED,
  env: { key: 'GITHUB_TOKEN', baseUrl: 'GITHUB_MODELS_BASE_URL' },
  defaultBaseUrl: 'https://models.github.ai',
  keyPatterns: [GITHUB_TOKEN],
  about: { keysUrl: 'https://github.com/settings/tokens', offers: 'Retired on 2026-07-30: GitHub Models no longer serves requests. One free account per person (GitHub terms).' },
  buildRequest: (op, creds, body, sent) => postJson(joinUrl(creds.baseUrl, PATHS[op]), headers(creds), sent ?? body),
  catalogRequest: (creds) => getJson(joinUrl(creds.baseUrl, 'catalog/models'), headers(creds)),
  parseCatalog: (json) => parseCatalogModels(json).map(toModel),
  bundledCatalog: () => bundledCatalogModels().map(toModel),
  normalizeModelId,
  identityRequest: (creds) => getJson(joinUrl(creds.apiBaseUrl ?? GITHUB_DEFAULT_API_BASE_URL, 'user'), headers(creds)),
  readIdentity(json) {
    const login = isRecord(json) ? str(json.login) : null;
    return login ? { ownerId: login, label: login } : null;
  },
  readLimit,
  readRemaining: () => [],
  translateError,
  isRetirement: (status, answerHeaders, bodyText) => status === 410 && /retire/i.test(readErrorInfo(status, answerHeaders, bodyText).message + bodyText),
};
