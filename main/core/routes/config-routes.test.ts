import { describe, expect, it } from 'vitest';
import { routesFromConfig } from './config-routes';

describe('routesFromConfig', () => {
  it('reads DESIGN.md’s shape, and the object form with spread', () => {
    expect(routesFromConfig({ 'llama-3.3-70b': ['groq/llama-3.3-70b-versatile', 'cerebras/llama-3.3-70b'], wide: { targets: ['groq/x', 'nvidia/y'], spread: true } })).toEqual({
      ok: true,
      routes: [
        { name: 'llama-3.3-70b', targets: ['groq/llama-3.3-70b-versatile', 'cerebras/llama-3.3-70b'], spread: false },
        { name: 'wide', targets: ['groq/x', 'nvidia/y'], spread: true },
      ],
    });
    expect(routesFromConfig(undefined)).toEqual({ ok: true, routes: [] });
  });

  it('says which route is wrong and how', () => {
    expect(routesFromConfig({ fast: ['llama-3.1-8b-instant'] })).toEqual({ ok: false, message: 'routes.fast: A target is a provider id, a slash and the model, like groq/llama-3.3-70b-versatile.' });
    expect(routesFromConfig({ empty: [] })).toEqual({ ok: false, message: 'routes.empty: A route needs at least one target.' });
    expect(routesFromConfig(['groq/x'])).toMatchObject({ ok: false, message: expect.stringContaining('each route name must map to a list') });
    expect(routesFromConfig({ r: { targets: ['groq/x'], sprad: true } })).toMatchObject({ ok: false });
  });
});
