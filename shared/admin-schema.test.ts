import { describe, expect, it } from 'vitest';
import { addAccountSchema, eventSearchSchema, reorderBodySchema, resetTargetSchema, accountOrderSchema } from './admin-schema';

describe('the admin API schema (IPC and HTTP)', () => {
  it('trims a pasted token and refuses an empty one in words', () => {
    expect(addAccountSchema.parse({ token: '  ghp_abc \n' })).toEqual({ token: 'ghp_abc' });
    const refused = addAccountSchema.safeParse({ token: '   ' });
    expect(refused.success).toBe(false);
    expect(refused.error?.issues[0]?.message).toBe('Paste a token.');
  });

  it('refuses extra keys and unsafe account ids', () => {
    expect(addAccountSchema.safeParse({ token: 'x', admin: true }).success).toBe(false);
    expect(addAccountSchema.safeParse({ token: 'x', key: '__proto__ x' }).success).toBe(false);
    expect(resetTargetSchema.safeParse({ account: 'a/b' }).success).toBe(false);
  });

  it('refuses an empty reorder on both transports', () => {
    expect(accountOrderSchema.safeParse([]).success).toBe(false);
    expect(reorderBodySchema.safeParse({ keys: [] }).success).toBe(false);
    expect(reorderBodySchema.parse({ keys: ['A', 'B'] })).toEqual({ keys: ['A', 'B'] });
  });

  it('reads the events query from a URL: numbers as text, known kinds only', () => {
    expect(eventSearchSchema.parse({ limit: '20', kind: 'rotated' })).toEqual({ limit: 20, kind: 'rotated' });
    expect(eventSearchSchema.safeParse({ limit: '0' }).success).toBe(false);
    expect(eventSearchSchema.safeParse({ kind: 'nonsense' }).success).toBe(false);
  });
});

describe('adding an account of any provider', () => {
  it('takes a provider with what it needs; no provider is GitHub as before', () => {
    expect(addAccountSchema.parse({ token: 'gsk_abc', provider: 'groq' })).toEqual({ token: 'gsk_abc', provider: 'groq' });
    expect(addAccountSchema.parse({ token: 'cf', provider: 'cloudflare', accountId: ' acc1 ' })).toEqual({ token: 'cf', provider: 'cloudflare', accountId: 'acc1' });
    expect(addAccountSchema.parse({ token: 'k', provider: 'azure', endpoint: 'https://res.openai.azure.com/' })).toMatchObject({ endpoint: 'https://res.openai.azure.com' });
    expect(addAccountSchema.parse({ token: 'k', provider: 'gemini', quotaGroup: 'my-project' })).toMatchObject({ quotaGroup: 'my-project' });
    expect(addAccountSchema.parse({ token: 'ghp_abc' }).provider).toBeUndefined();
  });

  it.each([
    ['cloudflare', 'accountId', 'Cloudflare Workers AI needs the account id'],
    ['azure', 'endpoint', 'needs the resource endpoint'],
    ['openai-compatible', 'baseUrl', 'needs its base URL'],
  ] as const)('%s without its %s is refused in words, naming the field', (provider, field, words) => {
    const refused = addAccountSchema.safeParse({ token: 'k', provider });
    expect(refused.success).toBe(false);
    expect(refused.error?.issues[0]?.path).toEqual([field]);
    expect(refused.error?.issues[0]?.message).toContain(words);
  });

  it('refuses an unknown provider and an address that is not http(s)', () => {
    expect(addAccountSchema.safeParse({ token: 'k', provider: 'acme' }).success).toBe(false);
    const bad = addAccountSchema.safeParse({ token: 'k', provider: 'openai-compatible', baseUrl: 'ftp://x' });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.message).toBe('Give an http:// or https:// address.');
  });
});
