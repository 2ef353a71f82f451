import { describe, expect, it } from 'vitest';
import { keyFingerprint, ownerOf, resolveOwners } from './owners';

describe('ownerOf', () => {
  it('the provider\'s word first, then an answer, then quota_group, then the account in the credentials, then the key', () => {
    const base = { id: 'A', provider: 'groq', key: 'gsk_1' } as const;
    expect(ownerOf({ ...base, identityOwner: 'u1', answerOwner: 'org_1', quotaGroup: 'g' })).toEqual({ provider: 'groq', id: 'u1', via: 'identity' });
    expect(ownerOf({ ...base, answerOwner: 'org_1', quotaGroup: 'g' })).toEqual({ provider: 'groq', id: 'org_1', via: 'answer' });
    expect(ownerOf({ ...base, quotaGroup: 'acme' })).toEqual({ provider: 'groq', id: 'group:acme', via: 'quota_group' });
    expect(ownerOf({ id: 'C', provider: 'cloudflare', key: 't', accountId: 'acc1' })).toEqual({ provider: 'cloudflare', id: 'account:acc1', via: 'account' });
    expect(ownerOf({ id: 'Z', provider: 'azure', key: 'k', endpoint: 'https://Acme.openai.azure.com/' })).toEqual({ provider: 'azure', id: 'endpoint:https://acme.openai.azure.com', via: 'account' });
    expect(ownerOf(base)).toEqual({ provider: 'groq', id: keyFingerprint('gsk_1'), via: 'key' });
  });

  it('never puts the key in the owner id', () => {
    const key = 'gsk_secretsecretsecret';
    expect(ownerOf({ id: 'A', provider: 'groq', key }).id).not.toContain('secret');
  });
});

describe('resolveOwners', () => {
  it('two organisations are two quotas; a second key of one organisation is a spare, and says so', () => {
    const result = resolveOwners([
      { id: 'GROQ_API_KEY', provider: 'groq', key: 'gsk_a', answerOwner: 'org_1' },
      { id: 'GROQ_API_KEY2', provider: 'groq', key: 'gsk_b', answerOwner: 'org_2' },
      { id: 'GROQ_API_KEY3', provider: 'groq', key: 'gsk_c', answerOwner: 'org_1' },
    ]);
    expect(result.refused).toEqual([]);
    expect(result.accounts.map((account) => [account.id, account.role, account.sharesWith])).toEqual([
      ['GROQ_API_KEY', 'capacity', ['GROQ_API_KEY3']],
      ['GROQ_API_KEY2', 'capacity', []],
      ['GROQ_API_KEY3', 'spare', ['GROQ_API_KEY']],
    ]);
    expect(result.accounts[2]!.note).toBe('GROQ_API_KEY3 shares one quota with GROQ_API_KEY (groq owner org_1): it adds no capacity and is kept as a spare.');
  });

  it('the same key twice is refused, whatever the account ids', () => {
    const result = resolveOwners([
      { id: 'GEMINI_API_KEY', provider: 'gemini', key: 'AIza1' },
      { id: 'gem-work', provider: 'gemini', key: ' AIza1 ' },
    ]);
    expect(result.accounts.map((account) => account.id)).toEqual(['GEMINI_API_KEY']);
    expect(result.refused).toEqual([{ id: 'gem-work', duplicateOf: 'GEMINI_API_KEY', reason: 'gem-work is the same gemini key as GEMINI_API_KEY; it is refused (one key counts once).' }]);
  });

  it('one token on two Cloudflare accounts is two owners, not a duplicate', () => {
    const result = resolveOwners([
      { id: 'CLOUDFLARE_API_TOKEN', provider: 'cloudflare', key: 't', accountId: 'a1' },
      { id: 'CLOUDFLARE_API_TOKEN2', provider: 'cloudflare', key: 't', accountId: 'a2' },
    ]);
    expect(result.refused).toEqual([]);
    expect(result.accounts.every((account) => account.role === 'capacity')).toBe(true);
  });

  it('the same key string at two providers is not a duplicate; quota groups are per provider', () => {
    const result = resolveOwners([
      { id: 'a', provider: 'openai', key: 'k', quotaGroup: 'me' },
      { id: 'b', provider: 'openai-compatible', key: 'k', baseUrl: 'http://x', quotaGroup: 'me' },
      { id: 'c', provider: 'mistral', key: 'm1', quotaGroup: 'org' },
      { id: 'd', provider: 'mistral', key: 'm2', quotaGroup: 'org' },
    ]);
    expect(result.accounts.map((account) => account.role)).toEqual(['capacity', 'capacity', 'capacity', 'spare']);
  });

  it('two GitHub tokens of one login are one quota', () => {
    const result = resolveOwners([
      { id: 'GITHUB_TOKEN', provider: 'github', key: 'gho_1', identityOwner: 'octocat' },
      { id: 'GITHUB_TOKEN2', provider: 'github', key: 'gho_2', identityOwner: 'octocat' },
    ]);
    expect(result.accounts[1]).toMatchObject({ role: 'spare', owner: { provider: 'github', id: 'octocat', via: 'identity' } });
  });
});
