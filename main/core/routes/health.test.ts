import { describe, expect, it } from 'vitest';
import { makeAccount } from '../../../shared/test-support/snapshot-fixtures';
import { targetHealth } from './health';
import { model } from './test-support/catalogs';
import type { LiveTarget } from './types';

const NOW = Date.UTC(2026, 7, 1, 12);
const GROQ: LiveTarget = { provider: 'groq', model: 'llama-3.3-70b-versatile', entry: model('llama-3.3-70b-versatile') };
const limit = (model: string, until: number) => ({ model, reason: 'rate-limit' as const, limitType: 'UserByModelByMinute' as const, source: 'retry-after' as const, until, retryAfterSeconds: 60 });

describe('targetHealth', () => {
  it('is ready while one account of the provider is free for the model (another provider’s accounts do not count)', () => {
    const accounts = [
      makeAccount({ key: 'GROQ_API_KEY', provider: 'groq', blocks: [limit('llama-3.3-70b-versatile', NOW + 60_000)] }),
      makeAccount({ key: 'GROQ_API_KEY2', provider: 'groq', blocks: [limit('llama-3.1-8b-instant', NOW + 60_000)] }),
    ];
    expect(targetHealth(accounts, GROQ, NOW)).toEqual({ state: 'ready', reason: null, until: null });
    expect(targetHealth([makeAccount({ key: 'CEREBRAS_API_KEY', provider: 'cerebras' })], GROQ, NOW)).toEqual({ state: 'unavailable', reason: 'no groq account', until: null });
  });

  it('is limited until the earliest reset when every usable account is at a limit; a passed block no longer counts', () => {
    const accounts = [
      makeAccount({ key: 'GROQ_API_KEY', provider: 'groq', blocks: [limit('LLAMA-3.3-70b-versatile', NOW + 90_000)] }),
      makeAccount({ key: 'GROQ_API_KEY2', provider: 'groq', status: 'cooling', userBlock: { limitType: 'UserByMinute', until: NOW + 30_000, retryAfterSeconds: 30, source: 'retry-after' } }),
      makeAccount({ key: 'GROQ_API_KEY3', provider: 'groq', status: 'invalid' }),
    ];
    expect(targetHealth(accounts, GROQ, NOW)).toEqual({ state: 'limited', reason: 'every groq account is at a limit', until: NOW + 30_000 });
    expect(targetHealth(accounts, GROQ, NOW + 95_000).state).toBe('ready');
  });

  it('is unavailable, saying why, when no account can serve by itself', () => {
    const accounts = [
      makeAccount({ key: 'GROQ_API_KEY', provider: 'groq', status: 'invalid' }),
      makeAccount({ key: 'GROQ_API_KEY2', provider: 'groq', blocks: [{ model: 'llama-3.3-70b-versatile', reason: 'forbidden', limitType: null, source: 'upstream-403', until: null, retryAfterSeconds: null }] }),
    ];
    expect(targetHealth(accounts, GROQ, NOW)).toEqual({ state: 'unavailable', reason: 'no groq account can serve it (its key is refused, not allowed to use this model)', until: null });
  });
});
