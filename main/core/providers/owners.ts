import { createHash } from 'node:crypto';
import type { ProviderId, QuotaOwnerRef } from './types';

/** What is known about one account's owner. */
export interface OwnerInput {
  /** The account's id (an env variable name or the config file's `id`). */
  id: string;
  provider: ProviderId;
  key: string;
  /** Cloudflare's account id: the account is the owner. */
  accountId?: string;
  /** Azure's resource endpoint: key1 and key2 of a resource share its deployments' limits. */
  endpoint?: string;
  /** Another server than the provider's default (openai-compatible): keys count per server. */
  baseUrl?: string;
  /** `quota_group` from the config file (Gemini projects, Mistral organisations). */
  quotaGroup?: string;
  /** Asked of the provider (GitHub login, OpenRouter account behind GET /key). */
  identityOwner?: string;
  /** Read from an answer (Groq's organisation in a 429 message). */
  answerOwner?: string;
}

export interface OwnerAssignment {
  id: string;
  owner: QuotaOwnerRef;
  /** `capacity`: the first key of its owner; `spare`: another key of an owner already present. */
  role: 'capacity' | 'spare';
  /** The other accounts of the same owner, in order. */
  sharesWith: string[];
  /** For people, where the account is added: why a spare adds no capacity. */
  note: string | null;
}

export interface RefusedAccount {
  id: string;
  duplicateOf: string;
  reason: string;
}

export interface OwnerResolution {
  accounts: OwnerAssignment[];
  /** The same key given twice: refused. */
  refused: RefusedAccount[];
}

/** A stand-in owner id when only the key is known: a short hash, never the key. */
export function keyFingerprint(key: string): string {
  return `key-${createHash('sha256').update(key.trim()).digest('hex').slice(0, 12)}`;
}

/** The account's quota owner, best knowledge first: the provider's word, then an answer's, then the person's. */
export function ownerOf(input: OwnerInput): QuotaOwnerRef {
  const provider = input.provider;
  if (input.identityOwner) return { provider, id: input.identityOwner, via: 'identity' };
  if (input.answerOwner) return { provider, id: input.answerOwner, via: 'answer' };
  if (input.quotaGroup) return { provider, id: `group:${input.quotaGroup}`, via: 'quota_group' };
  if (provider === 'cloudflare' && input.accountId) return { provider, id: `account:${input.accountId}`, via: 'account' };
  if (provider === 'azure' && input.endpoint) return { provider, id: `endpoint:${input.endpoint.replace(/\/+$/, '').toLowerCase()}`, via: 'account' };
  return { provider, id: keyFingerprint(input.key), via: 'key' };
}

/** Two entries are the same key when provider, key and where it is used are the same. */
function sameKeyId(input: OwnerInput): string {
  return JSON.stringify([input.provider, input.key.trim(), input.accountId ?? '', input.endpoint?.replace(/\/+$/, '').toLowerCase() ?? '', input.baseUrl?.replace(/\/+$/, '') ?? '']);
}

const ownerKey = (owner: QuotaOwnerRef) => `${owner.provider}\u0000${owner.id}`;

function describe(owner: QuotaOwnerRef): string {
  if (owner.via === 'key') return 'the same key';
  return `${owner.provider} owner ${owner.id}`;
}

/**
 * Each account's quota owner (providers.md §0.4: keys of one owner are one quota). The same key
 * twice is refused; a later key of an owner already present is a spare, not capacity, and says so.
 */
export function resolveOwners(inputs: readonly OwnerInput[]): OwnerResolution {
  const seenKeys = new Map<string, string>();
  const refused: RefusedAccount[] = [];
  const kept: Array<{ input: OwnerInput; owner: QuotaOwnerRef }> = [];
  for (const input of inputs) {
    const same = seenKeys.get(sameKeyId(input));
    if (same !== undefined) {
      refused.push({ id: input.id, duplicateOf: same, reason: `${input.id} is the same ${input.provider} key as ${same}; it is refused (one key counts once).` });
      continue;
    }
    seenKeys.set(sameKeyId(input), input.id);
    kept.push({ input, owner: ownerOf(input) });
  }

  const byOwner = new Map<string, string[]>();
  for (const { input, owner } of kept) byOwner.set(ownerKey(owner), [...(byOwner.get(ownerKey(owner)) ?? []), input.id]);

  const accounts = kept.map(({ input, owner }): OwnerAssignment => {
    const group = byOwner.get(ownerKey(owner))!;
    const first = group[0]!;
    const sharesWith = group.filter((id) => id !== input.id);
    const spare = first !== input.id;
    return {
      id: input.id,
      owner,
      role: spare ? 'spare' : 'capacity',
      sharesWith,
      note: spare ? `${input.id} shares one quota with ${first} (${describe(owner)}): it adds no capacity and is kept as a spare.` : null,
    };
  });
  return { accounts, refused };
}
