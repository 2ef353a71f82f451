import { describe, expect, it } from 'vitest';
import type { CatalogModel } from '../upstream/types';
import { bundledCatalogModels } from './model-catalog';
import { bareName, createModelCatalog, normalizeModelId, suggestModelIds } from './model-id';

const m = (id: string): CatalogModel => ({ id, name: id, publisher: id.split('/')[0]! });

describe('model ids', () => {
  const catalog = createModelCatalog(bundledCatalogModels());

  it.each(['gpt-4o-mini', 'openai/gpt-4o-mini', 'OpenAI/GPT-4o-Mini', ' gpt-4o-mini ', 'GPT-4O-MINI', '/gpt-4o-mini'])('resolves %j', (clientId) => {
    const resolution = catalog.resolve(clientId);
    expect(resolution.ok && resolution.model.id).toBe('openai/gpt-4o-mini');
  });

  it('resolves bare names of other publishers, in any case', () => {
    const phi = catalog.resolve('Phi-4');
    expect(phi.ok && phi.model.id).toBe('microsoft/phi-4');
    const r1 = catalog.resolve('DeepSeek-R1');
    expect(r1.ok && r1.model.id).toBe('deepseek/deepseek-r1');
  });

  it('does not mistake a name for a longer one', () => {
    const gpt4o = catalog.resolve('gpt-4o');
    expect(gpt4o.ok && gpt4o.model.id).toBe('openai/gpt-4o');
  });

  it('prefers openai/ for a bare name found under several publishers, else the first in catalog order', () => {
    const models = [m('azure/gpt-x'), m('openai/gpt-x'), m('alpha/shared'), m('beta/shared'), m('openai/gpt-x-copy')];
    const local = createModelCatalog(models);
    const gpt = local.resolve('gpt-x');
    expect(gpt.ok && gpt.model.id).toBe('openai/gpt-x');
    const shared = local.resolve('SHARED');
    expect(shared.ok && shared.model.id).toBe('alpha/shared');
    const exact = local.resolve('azure/gpt-x');
    expect(exact.ok && exact.model.id).toBe('azure/gpt-x');
  });

  it('suggests close ids for typos', () => {
    for (const typo of ['gpt4o-mini', 'gpt-4o-mni']) {
      const resolution = catalog.resolve(typo);
      expect(resolution.ok).toBe(false);
      if (resolution.ok) continue;
      expect(resolution.suggestions[0]).toBe('openai/gpt-4o-mini');
      expect(resolution.suggestions.length).toBeLessThanOrEqual(5);
    }
  });

  it('suggests by substring, at most five, and the right model under a wrong publisher', () => {
    const llama = catalog.resolve('llama');
    expect(llama).toEqual({ ok: false, suggestions: ['meta/llama-3.3-70b-instruct', 'meta/llama-4-scout-17b-16e-instruct'] });
    const gpt = catalog.resolve('gpt');
    expect(gpt.ok === false && gpt.suggestions).toHaveLength(5);
    const wrongPublisher = catalog.resolve('azure-openai/gpt-4o-mini');
    expect(wrongPublisher.ok === false && wrongPublisher.suggestions[0]).toBe('openai/gpt-4o-mini');
  });

  it('has nothing to suggest for nonsense or an empty id', () => {
    expect(catalog.resolve('zzzzzzzzzzzz')).toEqual({ ok: false, suggestions: [] });
    expect(catalog.resolve('   ')).toEqual({ ok: false, suggestions: [] });
  });

  it('lists every model in catalog order, as a copy', () => {
    const models = bundledCatalogModels();
    const list = catalog.list();
    expect(list.map((model) => model.id)).toEqual(models.map((model) => model.id));
    list.pop();
    expect(catalog.list()).toHaveLength(models.length);
  });

  it('normalises and splits ids', () => {
    expect(normalizeModelId('  //OpenAI/GPT-4.1 ')).toBe('openai/gpt-4.1');
    expect(bareName('openai/gpt-4.1')).toBe('gpt-4.1');
    expect(bareName('gpt-4.1')).toBe('gpt-4.1');
    expect(suggestModelIds('o5', [m('openai/o1'), m('openai/o3'), m('openai/gpt-4o')])).toEqual(['openai/o1', 'openai/o3']);
  });
});
