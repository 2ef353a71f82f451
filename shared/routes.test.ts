import { describe, expect, it } from 'vitest';
import { routeSettingsSchema } from './routes';
import { defaultSettings, settingsPatchSchema } from './settings';

describe('routes in settings', () => {
  it('default to none, with the bare-id fallback on', () => {
    expect(defaultSettings()).toMatchObject({ routes: [], bareIdFallback: true });
  });

  it('patch as a whole list, each route’s spread defaulting to off', () => {
    expect(settingsPatchSchema.parse({ routes: [{ name: 'llama', targets: ['groq/llama-3.3-70b-versatile', 'openrouter/meta-llama/llama-3.3-70b-instruct:free'] }] })).toEqual({
      routes: [{ name: 'llama', targets: ['groq/llama-3.3-70b-versatile', 'openrouter/meta-llama/llama-3.3-70b-instruct:free'], spread: false }],
    });
  });

  it('refuse targets that are not provider/model, names with spaces, empty routes and names used twice', () => {
    const issues = (routes: unknown) => {
      const result = routeSettingsSchema.safeParse(routes);
      return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    };
    expect(issues([{ name: 'r', targets: ['llama-3.3-70b'] }])).toEqual(['0.targets.0: A target is a provider id, a slash and the model, like groq/llama-3.3-70b-versatile.']);
    expect(issues([{ name: 'my route', targets: ['groq/x'] }])).toEqual(['0.name: A route name holds letters, digits and . _ : @ - only (no spaces or slashes).']);
    expect(issues([{ name: 'r', targets: [] }])).toHaveLength(1);
    expect(issues([{ name: 'Fast', targets: ['groq/x'] }, { name: 'fast', targets: ['groq/y'] }])).toEqual(['1.name: Two routes are named fast.']);
  });
});

describe('a route’s targets', () => {
  it('are each listed once', () => {
    const result = routeSettingsSchema.safeParse([{ name: 'r', targets: ['groq/x', 'cerebras/y', 'groq/x'] }]);
    expect(result.success ? [] : result.error.issues.map((i) => [i.path.join('.'), i.message])).toEqual([['0.targets.2', 'groq/x is already a target of r.']]);
  });
});
