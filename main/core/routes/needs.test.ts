import { describe, expect, it } from 'vitest';
import { describeMissing, filterByNeeds, requestNeeds } from './needs';
import { buildRouteTable } from './table';
import { FOUR_PROVIDERS } from './test-support/catalogs';

const user = (content: unknown) => ({ role: 'user', content });

describe('requestNeeds', () => {
  it('asks nothing of a plain chat', () => {
    expect(requestNeeds({ model: 'm', messages: [user('hi')], tools: [], response_format: { type: 'json_object' } })).toEqual({ tools: false, vision: false, jsonSchema: false });
  });

  it('sees tools, legacy functions, images in any message and a JSON schema format', () => {
    expect(requestNeeds({ messages: [user('x')], tools: [{ type: 'function', function: { name: 'f' } }] }).tools).toBe(true);
    expect(requestNeeds({ messages: [user('x')], functions: [{ name: 'f' }] }).tools).toBe(true);
    const image = { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } };
    expect(requestNeeds({ messages: [user('a'), { role: 'assistant', content: 'b' }, user([{ type: 'text', text: 'see' }, image])] }).vision).toBe(true);
    expect(requestNeeds({ messages: [user('x')], response_format: { type: 'json_schema', json_schema: { name: 's', schema: {} } } }).jsonSchema).toBe(true);
  });

  it('ignores garbage shapes instead of throwing', () => {
    expect(requestNeeds({ messages: 'nope', tools: 'x', response_format: 'json_schema' })).toEqual({ tools: false, vision: false, jsonSchema: false });
  });
});

describe('filterByNeeds', () => {
  const targets = buildRouteTable({ catalogs: FOUR_PROVIDERS }).get('llama-3.3-70b')!.targets;

  it('skips targets whose catalog says they lack a need, keeps those it says nothing of', () => {
    const { kept, skipped } = filterByNeeds(targets, { tools: true, vision: true, jsonSchema: false });
    expect(kept.map((t) => t.provider)).toEqual(['groq', 'cerebras']);
    expect(skipped.map((s) => [s.target.provider, s.missing])).toEqual([
      ['openrouter', ['tools']],
      ['nvidia', ['vision']],
    ]);
  });

  it('keeps every target when the request needs nothing', () => {
    expect(filterByNeeds(targets, { tools: false, vision: false, jsonSchema: false }).kept).toHaveLength(4);
  });

  it('says what is missing in words', () => {
    expect(describeMissing(['tools', 'vision'])).toBe('does not take tools or images');
  });
});
