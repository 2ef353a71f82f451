import { describe, expect, it } from 'vitest';
import { resolveModel, type Resolution } from './resolve';
import { buildRouteTable } from './table';
import { catalog, FOUR_PROVIDERS } from './test-support/catalogs';

const ON = { bareIdFallback: true };
const ids = (r: Resolution) => (r.ok ? r.plan.targets.map((t) => `${t.provider}/${t.model}`) : r.error.message);

describe('resolveModel', () => {
  const table = buildRouteTable({
    settings: [{ name: 'coder', targets: ['cerebras/gpt-oss-120b', 'groq/openai/gpt-oss-120b'], spread: true }],
    catalogs: [...FOUR_PROVIDERS, catalog('openai', 'gpt-4.1-mini'), catalog('mistral', 'llama-3.1-8b-instant')],
  });

  it('serves `{provider}/{model}` from that provider only, in the catalog’s spelling', () => {
    const r = resolveModel(table, 'groq/LLAMA-3.3-70b-versatile', ON);
    expect(r.ok && r.plan).toMatchObject({ kind: 'explicit', route: null, spread: false });
    expect(ids(r)).toEqual(['groq/llama-3.3-70b-versatile']);
  });

  it('serves a route name from its targets, keeping its spread option', () => {
    const r = resolveModel(table, 'Coder', ON);
    expect(r.ok && r.plan).toMatchObject({ kind: 'route', route: 'coder', spread: true });
    expect(ids(r)).toEqual(['cerebras/gpt-oss-120b', 'groq/openai/gpt-oss-120b']);
  });

  it('serves a built-in family name across every provider that lists the model', () => {
    expect(ids(resolveModel(table, 'llama-3.3-70b', ON))).toEqual([
      'groq/llama-3.3-70b-versatile',
      'cerebras/llama-3.3-70b',
      'openrouter/meta-llama/llama-3.3-70b-instruct:free',
      'nvidia/meta/llama-3.3-70b-instruct',
    ]);
  });

  it('reads a publisher-prefixed bare id as such when the "provider" part does not list it', () => {
    // An OpenAI account exists, but `openai/gpt-oss-120b` is Groq's id.
    const r = resolveModel(table, 'openai/gpt-oss-120b', ON);
    expect(r.ok && r.plan.kind).toBe('bare');
    expect(ids(r)).toEqual(['groq/openai/gpt-oss-120b']);
  });

  it('serves a bare id listed by several providers as one route in catalog order, unless turned off', () => {
    const across = resolveModel(table, 'llama-3.1-8b-instant', ON);
    expect(across.ok && across.plan).toMatchObject({ kind: 'bare', route: 'llama-3.1-8b-instant' });
    expect(ids(across)).toEqual(['groq/llama-3.1-8b-instant', 'mistral/llama-3.1-8b-instant']);
    const first = resolveModel(table, 'llama-3.1-8b-instant', { bareIdFallback: false });
    expect(first.ok && first.plan.route).toBeNull();
    expect(ids(first)).toEqual(['groq/llama-3.1-8b-instant']);
  });

  it('treats a bare id of one provider as no route', () => {
    const r = resolveModel(table, 'gpt-4.1-mini', ON);
    expect(r.ok && r.plan).toMatchObject({ kind: 'bare', route: null });
  });

  it('says which provider has no account, with close names', () => {
    const r = resolveModel(table, 'gemini/gemini-2.5-flash', ON);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error).toMatchObject({ status: 404, code: 'model_not_found', param: 'model' });
    expect(r.error.message).toContain('No gemini account is configured, so gemini/gemini-2.5-flash cannot be served.');
  });

  it('names a provider’s missing model and suggests close ids', () => {
    const r = resolveModel(table, 'groq/llama-3.3-70b-versatle', ON);
    expect(r.ok ? '' : r.error.message).toMatch(/^groq's catalog does not list llama-3.3-70b-versatle\. Did you mean groq\/llama-3.3-70b-versatile/);
  });

  it('refuses an unknown name with a 404 that points at /v1/models', () => {
    const r = resolveModel(table, 'no-such-model', ON);
    expect(r.ok ? null : r.error.message).toBe("The model 'no-such-model' is not a route and no provider with an account lists it. GET /v1/models lists what can be served.");
  });

  it('refuses a route whose targets all dropped, saying why each one', () => {
    const t = buildRouteTable({ settings: [{ name: 'mine', targets: ['mistral/x'] }], families: [], catalogs: FOUR_PROVIDERS });
    const r = resolveModel(t, 'mine', ON);
    expect(r.ok ? null : [r.error.status, r.error.message]).toEqual([404, 'No target of route mine can serve: mistral/x: no mistral account.']);
  });

  it('refuses an empty model with a 400', () => {
    const r = resolveModel(table, '  ', ON);
    expect(r.ok ? null : [r.error.status, r.error.code]).toEqual([400, 'invalid_model']);
  });
});
