import { describe, expect, it } from 'vitest';
import { limitsFor, tierOf } from './table';

describe('limits table', () => {
  it('reads the documented cells', () => {
    expect(limitsFor({ id: 'openai/gpt-4o-mini', rate_limit_tier: 'low' }, 'free')).toMatchObject({ perMinute: 15, perDay: 150, concurrent: 5 });
    expect(limitsFor({ id: 'openai/gpt-4.1', rate_limit_tier: 'high' }, 'business')).toMatchObject({ perMinute: 10, perDay: 100, concurrent: 2 });
    expect(limitsFor({ id: 'openai/gpt-4.1', rate_limit_tier: 'high' }, 'enterprise')).toMatchObject({ perMinute: 15, perDay: 150, concurrent: 4 });
  });

  it('gives special tiers precedence over rate_limit_tier', () => {
    expect(tierOf({ id: 'openai/o3', rate_limit_tier: 'custom' })).toBe('o-series');
    expect(tierOf({ id: 'openai/gpt-5-mini', rate_limit_tier: 'custom' })).toBe('mini-reasoning');
    expect(tierOf({ id: 'deepseek/DeepSeek-R1-0528', rate_limit_tier: 'custom' })).toBe('deepseek-r1');
    expect(tierOf({ id: 'xai/grok-3-mini', rate_limit_tier: 'high' })).toBe('grok-3-mini');
    expect(tierOf({ id: 'openai/text-embedding-3-small', rate_limit_tier: 'embeddings' })).toBe('embedding');
  });

  it('marks models a plan cannot use', () => {
    expect(limitsFor({ id: 'openai/o1' }, 'free')).toBeNull();
    expect(limitsFor({ id: 'openai/o1' }, 'pro')).toMatchObject({ perMinute: 1, perDay: 8 });
  });
});
