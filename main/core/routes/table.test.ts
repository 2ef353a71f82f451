import { describe, expect, it } from 'vitest';
import { buildRouteTable, describeDropped } from './table';
import { catalog, FOUR_PROVIDERS } from './test-support/catalogs';

const LLAMA = { name: 'llama-3.3-70b', targets: ['groq/llama-3.3-70b-versatile', 'cerebras/llama-3.3-70b', 'mistral/llama-3.3-70b', 'nvidia/meta/llama-3.3-70b-instruct'] };

describe('buildRouteTable', () => {
  it('keeps only the family targets whose provider has an account and whose catalog lists the id', () => {
    const table = buildRouteTable({ families: [LLAMA], catalogs: [catalog('groq', 'llama-3.3-70b-versatile'), catalog('cerebras', 'gpt-oss-120b')] });
    const route = table.get('llama-3.3-70b')!;
    expect(route.origin).toBe('family');
    expect(route.targets.map((t) => `${t.provider}/${t.model}`)).toEqual(['groq/llama-3.3-70b-versatile']);
    expect(route.dropped).toEqual([
      { target: 'cerebras/llama-3.3-70b', reason: 'not-in-catalog' },
      { target: 'mistral/llama-3.3-70b', reason: 'no-account' },
      { target: 'nvidia/meta/llama-3.3-70b-instruct', reason: 'no-account' },
    ]);
  });

  it('resolves the bundled Llama 3.3 70B family against four providers, in the table order', () => {
    const table = buildRouteTable({ catalogs: FOUR_PROVIDERS });
    expect(table.get('llama-3.3-70b')!.targets.map((t) => t.provider)).toEqual(['groq', 'cerebras', 'openrouter', 'nvidia']);
    expect(table.get('gpt-oss-120b')!.targets.map((t) => `${t.provider}/${t.model}`)).toEqual(['groq/openai/gpt-oss-120b', 'cerebras/gpt-oss-120b']);
  });

  it('leaves out a family no account can serve, and lists only the live ones', () => {
    const table = buildRouteTable({ catalogs: [catalog('groq', 'llama-3.1-8b-instant')] });
    expect(table.get('llama-3.3-70b')).toBeNull();
    expect(table.modelIds()).toEqual(['llama-3.1-8b']);
    expect(table.targetIds()).toEqual(['groq/llama-3.1-8b-instant']);
  });

  it('lets a person’s route of the same name win over the family, and the config file over Settings', () => {
    const table = buildRouteTable({
      config: [{ name: 'Llama-3.3-70B', targets: ['nvidia/meta/llama-3.3-70b-instruct'] }],
      settings: [{ name: 'llama-3.3-70b', targets: ['groq/llama-3.3-70b-versatile'], spread: true }, { name: 'fast', targets: ['groq/llama-3.1-8b-instant'] }],
      families: [LLAMA],
      catalogs: FOUR_PROVIDERS,
    });
    const route = table.get('LLAMA-3.3-70b')!;
    expect(route).toMatchObject({ name: 'Llama-3.3-70B', origin: 'config', shadows: 'settings', spread: false });
    expect(route.targets.map((t) => t.provider)).toEqual(['nvidia']);
    expect(table.modelIds()).toEqual(['Llama-3.3-70B', 'fast']);
  });

  it('keeps a person’s route with no live target, saying why each one is dropped', () => {
    const table = buildRouteTable({ settings: [{ name: 'mine', targets: ['mistral/x', 'nope/y', 'groq/not-there'] }], families: [], catalogs: FOUR_PROVIDERS });
    const route = table.get('mine')!;
    expect(route.targets).toEqual([]);
    expect(route.dropped.map(describeDropped)).toEqual([
      'mistral/x: no mistral account',
      'nope/y: not a known provider (write it as provider/model, like groq/llama-3.3-70b-versatile)',
      "groq/not-there: groq's catalog does not list not-there",
    ]);
    expect(table.modelIds()).toEqual(['mine']);
  });

  it('uses the catalog’s own spelling of an id, and a target written twice once', () => {
    const table = buildRouteTable({ settings: [{ name: 'r', targets: ['groq/LLAMA-3.3-70B-Versatile', 'groq/llama-3.3-70b-versatile'] }], families: [], catalogs: FOUR_PROVIDERS });
    expect(table.get('r')!.targets.map((t) => t.model)).toEqual(['llama-3.3-70b-versatile']);
  });

  it('compares ids the way the provider does when given its normaliser', () => {
    const normalize = (_p: string, id: string) => id.trim().toLowerCase().replace(/^models\//, '');
    const table = buildRouteTable({ settings: [{ name: 'flash', targets: ['gemini/gemini-2.5-flash'] }], families: [], catalogs: [catalog('gemini', 'models/gemini-2.5-flash')], normalize });
    expect(table.get('flash')!.targets.map((t) => t.model)).toEqual(['models/gemini-2.5-flash']);
  });
});
