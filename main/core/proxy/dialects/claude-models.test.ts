import { describe, expect, it } from 'vitest';
import { ProxyError } from '../../errors';
import { isClaudeName, mapClaudeModel } from './claude-models';

const MAP = { 'claude-sonnet-*': 'openai/gpt-4.1', 'claude-sonnet-4-5': 'openai/gpt-4o', 'claude-haiku-4-5': 'gpt-4o-mini', 'claude-*': 'fallback' };

describe('Claude model mapping', () => {
  it('leaves names that are not Claude names alone', () => {
    expect(mapClaudeModel('openai/gpt-4.1', {})).toBe('openai/gpt-4.1');
    expect(mapClaudeModel('my-route', MAP)).toBe('my-route');
    expect(isClaudeName('claudette')).toBe(false);
    expect(isClaudeName('anthropic/claude-3')).toBe(true);
  });

  it('maps exact names, their dated versions, and prefixes; the longest key wins', () => {
    expect(mapClaudeModel('claude-haiku-4-5', MAP)).toBe('gpt-4o-mini');
    expect(mapClaudeModel('claude-haiku-4-5-20251001', MAP)).toBe('gpt-4o-mini');
    expect(mapClaudeModel('claude-sonnet-4-5-20250929', MAP)).toBe('openai/gpt-4o');
    expect(mapClaudeModel('claude-sonnet-4-6', MAP)).toBe('openai/gpt-4.1');
    expect(mapClaudeModel('claude-opus-4-1', MAP)).toBe('fallback');
    expect(mapClaudeModel('Claude-Haiku-4-5', MAP)).toBe('gpt-4o-mini');
  });

  it('does not treat another model of the same family as a dated version', () => {
    expect(() => mapClaudeModel('claude-haiku-4-5-large', { 'claude-haiku-4-5': 'x' })).toThrow(ProxyError);
  });

  it('refuses an unmapped Claude name with a 404 saying how to map it', () => {
    let error: unknown;
    try {
      mapClaudeModel('claude-opus-4-1', { 'claude-haiku-*': 'x' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ProxyError);
    expect(error).toMatchObject({ status: 404, code: 'model_not_mapped', param: 'model' });
    expect((error as Error).message).toMatch(/claudeModelMap/);
  });
});
