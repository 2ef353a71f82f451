import { describe, expect, it } from 'vitest';
import { FAMILY_TABLE, familyRoutes, UNCONFIRMED } from './families';
import { parseTarget } from './target';

describe('the bundled family table', () => {
  it('names each family once and each target by a known provider, one target per provider', () => {
    const names = FAMILY_TABLE.families.map((f) => f.name.toLowerCase());
    expect(new Set(names).size).toBe(names.length);
    for (const family of FAMILY_TABLE.families) {
      const parsed = family.targets.map((t) => parseTarget(t.target));
      expect(parsed, family.name).not.toContain(null);
      const providers = parsed.map((p) => p!.provider);
      expect(new Set(providers).size, family.name).toBe(providers.length);
    }
  });

  it('has a target whose id a reference states in every family but the DeepSeek distills (no reference lists them)', () => {
    const unsourced = FAMILY_TABLE.families.filter((family) => family.targets.every((t) => t.source === UNCONFIRMED)).map((f) => f.name);
    expect(unsourced).toEqual(['deepseek-r1-distill-llama-70b', 'deepseek-r1-distill-qwen-32b']);
  });

  it('covers the families issue 12 names, with the four Llama 3.3 70B ids it lists', () => {
    const routes = familyRoutes();
    expect(routes.map((r) => r.name)).toEqual(expect.arrayContaining(['llama-3.3-70b', 'llama-3.1-8b', 'gpt-oss-120b', 'gpt-oss-20b', 'gemma-4-31b', 'qwen3.6-27b']));
    expect(routes.some((r) => r.name.startsWith('deepseek-r1-distill'))).toBe(true);
    expect(routes.find((r) => r.name === 'llama-3.3-70b')!.targets).toEqual(
      expect.arrayContaining(['groq/llama-3.3-70b-versatile', 'cerebras/llama-3.3-70b', 'openrouter/meta-llama/llama-3.3-70b-instruct:free', 'nvidia/meta/llama-3.3-70b-instruct']),
    );
  });
});
