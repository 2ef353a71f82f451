import { describe, expect, it } from 'vitest';
import { estimateTokens, forecastLimits } from './forecast';

describe('forecastLimits', () => {
  it('gives the table cell for the model on the plan', () => {
    const model = { id: 'openai/gpt-4.1', name: 'GPT-4.1', publisher: 'openai', rate_limit_tier: 'high', limits: { max_input_tokens: 1048576, max_output_tokens: 32768 } };
    expect(forecastLimits(model, 'free')).toEqual({ perMinute: 10, perDay: 50, concurrent: 2, maxInputTokens: 8000, maxOutputTokens: 4000 });
  });

  it('is null where the plan has no access', () => {
    expect(forecastLimits({ id: 'openai/o3', name: 'o3', publisher: 'openai', rate_limit_tier: 'custom' }, 'free')).toBeNull();
  });

  it('lowers token caps to the catalog limits when they are smaller', () => {
    const model = { id: 'x/small', name: 'small', publisher: 'x', rate_limit_tier: 'low', limits: { max_input_tokens: 2048, max_output_tokens: 1024 } };
    expect(forecastLimits(model, 'pro')).toMatchObject({ maxInputTokens: 2048, maxOutputTokens: 1024, perMinute: 15 });
    const odd = { id: 'x/odd', name: 'odd', publisher: 'x', limits: { max_input_tokens: 0, max_output_tokens: null } };
    expect(forecastLimits(odd, 'pro')).toMatchObject({ maxInputTokens: 8000, maxOutputTokens: 4000 });
  });
});

describe('estimateTokens', () => {
  it('counts message contents at four characters a token, rounded up', () => {
    const body = { model: 'gpt-4o-mini', messages: [{ role: 'system', content: 'abcd' }, { role: 'user', content: 'abcde' }] };
    expect(estimateTokens(body)).toBe(3);
  });

  it('counts text parts and ignores images and tool calls without content', () => {
    const body = {
      messages: [
        { role: 'user', content: [{ type: 'text', text: '12345678' }, { type: 'image_url', image_url: { url: 'data:x' } }] },
        { role: 'assistant', content: null, tool_calls: [] },
      ],
    };
    expect(estimateTokens(body)).toBe(2);
  });

  it('counts embeddings input: a string, strings, or token arrays', () => {
    expect(estimateTokens({ input: 'x'.repeat(40) })).toBe(10);
    expect(estimateTokens({ input: ['abcd', 'efgh'] })).toBe(2);
    expect(estimateTokens({ input: [[1, 2, 3], [4]] })).toBe(4);
  });

  it('is zero for anything else', () => {
    expect(estimateTokens(null)).toBe(0);
    expect(estimateTokens('text')).toBe(0);
    expect(estimateTokens({ messages: 'nope' })).toBe(0);
  });
});
