import { describe, expect, it } from 'vitest';
import type { Clock } from '../clock';
import { ConversationStickiness, conversationKey } from './sticky';

function manualClock(start = 1_000_000): Clock & { advance(ms: number): void } {
  let t = start;
  return { now: () => t, sleep: async () => undefined, advance: (ms) => void (t += ms) };
}

const SYSTEM = { role: 'system', content: 'You are terse.' };
const FIRST = { role: 'user', content: 'Plan a trip.' };

describe('conversationKey', () => {
  it('is the same for every later turn of a conversation', () => {
    const first = conversationKey('r', { messages: [SYSTEM, FIRST] });
    const later = conversationKey('r', { messages: [SYSTEM, FIRST, { role: 'assistant', content: 'Where?' }, { role: 'user', content: 'Rome' }] });
    expect(first).not.toBeNull();
    expect(later).toBe(first);
  });

  it('differs by system prompt, first user message and route', () => {
    const base = conversationKey('r', { messages: [SYSTEM, FIRST] });
    expect(conversationKey('r', { messages: [{ role: 'system', content: 'Be verbose.' }, FIRST] })).not.toBe(base);
    expect(conversationKey('r', { messages: [SYSTEM, { role: 'user', content: 'Plan a party.' }] })).not.toBe(base);
    expect(conversationKey('other', { messages: [SYSTEM, FIRST] })).not.toBe(base);
    expect(conversationKey('R', { messages: [SYSTEM, FIRST] })).toBe(base);
  });

  it('is null without a user message to tell conversations apart', () => {
    expect(conversationKey('r', { messages: [SYSTEM] })).toBeNull();
    expect(conversationKey('r', { messages: [{ role: 'assistant', content: 'x' }, FIRST] })).toBeNull();
    expect(conversationKey('r', {})).toBeNull();
  });
});

describe('ConversationStickiness', () => {
  it('remembers the target of a conversation until it has been quiet for the TTL', () => {
    const clock = manualClock();
    const sticky = new ConversationStickiness(clock, { ttlMs: 60_000 });
    sticky.remember('k', 'groq/llama-3.3-70b-versatile');
    clock.advance(59_000);
    expect(sticky.preferred('k')).toBe('groq/llama-3.3-70b-versatile');
    clock.advance(59_000); // the read above renewed it
    expect(sticky.preferred('k')).toBe('groq/llama-3.3-70b-versatile');
    clock.advance(60_001);
    expect(sticky.preferred('k')).toBeNull();
  });

  it('is bounded: the least recently used conversation goes first', () => {
    const sticky = new ConversationStickiness(manualClock(), { max: 2 });
    sticky.remember('a', 't1');
    sticky.remember('b', 't2');
    sticky.preferred('a');
    sticky.remember('c', 't3');
    expect([sticky.preferred('a'), sticky.preferred('b'), sticky.preferred('c')]).toEqual(['t1', null, 't3']);
    expect(sticky.size).toBe(2);
  });

  it('ignores requests that are not part of a conversation', () => {
    const sticky = new ConversationStickiness(manualClock());
    sticky.remember(null, 't');
    expect(sticky.size).toBe(0);
    expect(sticky.preferred(null)).toBeNull();
  });
});
