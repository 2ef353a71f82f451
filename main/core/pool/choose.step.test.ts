import { describe, expect, it } from 'vitest';
import { AccountList, type PoolParts } from './parts';
import { newAccount } from './account';
import { MemoryQuotaStore } from './memory-quota-store';
import { RetiredProviders } from './retirement';
import { nextStep } from './choose';

const MODEL = { id: 'openai/gpt-4o-mini', name: 'GPT-4o mini', publisher: 'OpenAI', rate_limit_tier: 'low' };
const NOW = 1_700_000_000_000;
const budgets = { paceMs: 0, probeMs: 0 };

function pool(strategy: 'sticky' | 'round-robin') {
  const book = new AccountList();
  const alice = newAccount({ key: 'GITHUB_TOKEN', token: 'ghp_aliceTOKEN0000000000000000000000001Xq', plan: 'free', disabled: false }, { login: 'alice', avatarUrl: null });
  const bob = newAccount({ key: 'GITHUB_TOKEN2', token: 'gho_bobTOKEN00000000000000000000000000024d9U', plan: 'free', disabled: false }, { login: 'bob', avatarUrl: null });
  book.accounts = [alice, bob];
  const ctx = { book, deps: { settings: () => ({ strategy }) }, probes: new Set<string>(), quota: new MemoryQuotaStore(), retired: new RetiredProviders() } as unknown as Pick<PoolParts, 'book' | 'deps' | 'probes' | 'quota' | 'retired'>;
  return { ctx, book, alice, bob };
}

const chosen = (ctx: ReturnType<typeof pool>['ctx'], failed: ReadonlySet<string> = new Set()) => {
  const step = nextStep(ctx, 'github', MODEL, failed, budgets, NOW);
  return step.kind === 'send' ? step.account.key : step.kind;
};

describe('nextStep: spares (a later key of an owner already present)', () => {
  it('round robin passes over a key whose owner became that of an earlier key, once the owner change is told (ownerEpoch)', () => {
    const { ctx, book, bob } = pool('round-robin');
    book.lastIndex = 0;
    expect(chosen(ctx)).toBe('GITHUB_TOKEN2');
    // Bob's key turns out to be Alice's: it adds no capacity while her first key can serve.
    bob.login = 'alice';
    book.ownerEpoch++;
    expect(chosen(ctx)).toBe('GITHUB_TOKEN');
    // Her first key failed on this request: the spare serves.
    expect(chosen(ctx, new Set(['GITHUB_TOKEN']))).toBe('GITHUB_TOKEN2');
  });

});
