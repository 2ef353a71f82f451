// Checks a pasted key before it is saved: the provider's models list (and its identity where it
// has one), in plain words. Engine-independent; the engine's addAccount calls it.
import type { z } from 'zod';
import type { addAccountSchema } from '../../../shared/admin-schema';
import { providerFor } from '../providers/index';
import type { ProviderId, ProviderModel } from '../providers/types';
import { ProviderHttpError, type ProviderUpstream, type UpstreamAccount } from '../upstream/provider-upstream';
import { UpstreamNetworkError } from '../upstream/types';

export type CheckAccountInput = Pick<z.infer<typeof addAccountSchema>, 'token' | 'baseUrl' | 'accountId' | 'endpoint' | 'quotaGroup'> & { provider: ProviderId };

export interface CheckAccountOptions {
  /** Base URLs in effect per provider (its base URL variable); default the descriptor's. */
  baseUrls?: Partial<Record<ProviderId, string>>;
  signal?: AbortSignal;
}

export interface CheckAccountResult {
  ok: boolean;
  /** Who owns the quota the key spends, when the provider names it or the person declared it. */
  owner?: { id: string; label: string; via: 'identity' | 'quota_group' };
  /** What the key serves (when the list could be read). */
  models?: ProviderModel[];
  /** Plain words for the person; never the key. */
  message: string;
}

/** The account as the sender needs it, from what was pasted. */
export function accountFromInput(input: CheckAccountInput, baseUrls: CheckAccountOptions['baseUrls'] = {}): UpstreamAccount {
  const provider = providerFor(input.provider);
  const baseUrl = input.baseUrl ?? baseUrls[input.provider] ?? (input.provider === 'azure' && input.endpoint ? '' : provider.defaultBaseUrl);
  return {
    provider: input.provider,
    key: input.token,
    baseUrl,
    ...(input.accountId !== undefined ? { accountId: input.accountId } : {}),
    ...(input.endpoint !== undefined ? { endpoint: input.endpoint } : {}),
  };
}

function withoutKey(text: string, key: string): string {
  return key ? text.split(key).join('[key]') : text;
}

function failure(error: unknown, name: string): string {
  if (error instanceof ProviderHttpError) {
    if (error.status === 401 || error.status === 403) return `${name} refused the key (${error.status}): ${error.error.message} Check that you copied the whole key, and that it is still active.`;
    if (error.status === 404) return `${name} answered 404 for the models list: check the address${error.provider === 'cloudflare' ? ' and the account id' : ''}.`;
    return `${name} answered ${error.status} for the models list: ${error.error.message}`;
  }
  if (error instanceof UpstreamNetworkError) return `Could not reach ${name}: ${error.message}`;
  return `Could not check the key with ${name}: ${error instanceof Error ? error.message : String(error)}`;
}

function served(models: ProviderModel[]): string {
  const chat = models.filter((m) => m.operations.includes('chat')).length;
  const embed = models.filter((m) => m.operations.includes('embeddings')).length;
  const examples = models.slice(0, 3).map((m) => m.id).join(', ');
  const parts = [`${chat} chat model${chat === 1 ? '' : 's'}`, ...(embed > 0 ? [`${embed} embedding model${embed === 1 ? '' : 's'}`] : [])];
  return `${parts.join(' and ')}${examples ? ` (${examples}${models.length > 3 ? ', …' : ''})` : ''}`;
}

/**
 * Validates a pasted key with the provider's models list, and its identity where it has one.
 * Never throws; the result's message never contains the key.
 */
export async function checkAccount(input: CheckAccountInput, upstream: Pick<ProviderUpstream, 'listModels' | 'identify'>, options: CheckAccountOptions = {}): Promise<CheckAccountResult> {
  const provider = providerFor(input.provider);
  if (provider.retired) return { ok: false, message: provider.retired.message };
  let account: UpstreamAccount;
  try {
    account = accountFromInput(input, options.baseUrls);
  } catch (error) {
    return { ok: false, message: withoutKey(error instanceof Error ? error.message : String(error), input.token) };
  }

  let models: ProviderModel[];
  try {
    models = await upstream.listModels(account, options.signal);
  } catch (error) {
    return { ok: false, message: withoutKey(failure(error, provider.name), input.token) };
  }

  let owner: CheckAccountResult['owner'];
  if (input.quotaGroup) owner = { id: input.quotaGroup, label: input.quotaGroup, via: 'quota_group' };
  else {
    try {
      const identity = await upstream.identify(account, options.signal);
      if (identity) owner = { id: identity.ownerId, label: identity.label, via: 'identity' };
    } catch (error) {
      return { ok: false, models, message: withoutKey(failure(error, provider.name).replace('the models list', 'who owns the key'), input.token) };
    }
  }

  const who = owner ? ` The key belongs to ${owner.label}.` : '';
  const message = models.length === 0 ? `${provider.name} accepted the key but lists no models for it.${who}` : `${provider.name} accepted the key: it serves ${served(models)}.${who}`;
  return { ok: true, models, message: withoutKey(message, input.token), ...(owner ? { owner } : {}) };
}
