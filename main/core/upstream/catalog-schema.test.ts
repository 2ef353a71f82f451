import { describe, expect, it } from 'vitest';
import snapshot from '../limits/catalog-snapshot.json';
import { CatalogFormatError, parseCatalogModels } from './catalog-schema';

describe('parseCatalogModels', () => {
  it('accepts the documented entry and keeps unknown fields', () => {
    const entry = {
      id: 'openai/gpt-4.1',
      name: 'OpenAI GPT-4.1',
      publisher: 'OpenAI',
      registry: 'azure-openai',
      html_url: 'https://github.com/marketplace/models/azure-openai/gpt-4-1',
      version: '2025-04-14',
      capabilities: ['streaming', 'tool-calling'],
      limits: { max_input_tokens: 1048576, max_output_tokens: 32768 },
      rate_limit_tier: 'high',
      supported_input_modalities: ['text', 'image', 'audio'],
      supported_output_modalities: ['text'],
      tags: ['multipurpose'],
    };
    expect(parseCatalogModels([entry])).toEqual([entry]);
  });

  it('skips entries without an id and drops odd optional fields', () => {
    const models = parseCatalogModels([
      { name: 'nameless' },
      { id: '  ' },
      'text',
      { id: 'meta/llama-x', capabilities: 'streaming', limits: { max_input_tokens: '8k', max_output_tokens: null }, future: { a: 1 } },
    ]);
    expect(models).toEqual([
      { id: 'meta/llama-x', name: 'meta/llama-x', publisher: 'meta', limits: { max_output_tokens: null }, future: { a: 1 } },
    ]);
  });

  it('tolerates a {data: [...]} wrapper and rejects anything else', () => {
    expect(parseCatalogModels({ data: [{ id: 'a/b', name: 'B', publisher: 'a' }] })).toHaveLength(1);
    expect(() => parseCatalogModels({ models: [] })).toThrow(CatalogFormatError);
    expect(() => parseCatalogModels(null)).toThrow(CatalogFormatError);
  });

  it('parses the bundled snapshot completely', () => {
    expect(parseCatalogModels(snapshot)).toHaveLength((snapshot as unknown[]).length);
  });
});
