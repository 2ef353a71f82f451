import { describe, expect, it } from 'vitest';
import { buildRouteTable } from './table';
import { catalog } from './test-support/catalogs';
import { routeViews, RouteTraffic } from './view';

describe('routeViews', () => {
  it('shows each route’s targets with their health, traffic and the latest one, then the dropped ones', () => {
    const table = buildRouteTable({
      settings: [{ name: 'llama-3.3-70b', targets: ['groq/llama-3.3-70b-versatile', 'cerebras/llama-3.3-70b', 'mistral/x'] }],
      families: [{ name: 'llama-3.3-70b', targets: ['groq/llama-3.3-70b-versatile'] }],
      catalogs: [catalog('groq', 'llama-3.3-70b-versatile'), catalog('cerebras', 'llama-3.3-70b')],
    });
    const traffic = new RouteTraffic();
    traffic.record('llama-3.3-70b', { provider: 'groq', model: 'llama-3.3-70b-versatile' }, false);
    traffic.record('LLAMA-3.3-70b', { provider: 'cerebras', model: 'llama-3.3-70b' }, true);
    const until = Date.UTC(2026, 0, 1);
    const views = routeViews(table, traffic, (t) => (t.provider === 'groq' ? { state: 'limited', reason: 'requests per day', until } : { state: 'ready', reason: null, until: null }));
    expect(views).toEqual([
      {
        name: 'llama-3.3-70b',
        origin: 'settings',
        spread: false,
        shadows: 'family',
        targets: [
          { target: 'groq/llama-3.3-70b-versatile', provider: 'groq', model: 'llama-3.3-70b-versatile', state: 'limited', reason: 'requests per day', until, served: 1, fallbacks: 0, lastServed: false, lacks: [] },
          { target: 'cerebras/llama-3.3-70b', provider: 'cerebras', model: 'llama-3.3-70b', state: 'ready', reason: null, until: null, served: 1, fallbacks: 1, lastServed: true, lacks: [] },
          { target: 'mistral/x', provider: 'mistral', model: 'x', state: 'dropped', reason: 'mistral/x: no mistral account', until: null, served: 0, fallbacks: 0, lastServed: false, lacks: [] },
        ],
      },
    ]);
  });

  it('leaves out a built-in family’s targets that cannot serve (no account of their provider)', () => {
    const table = buildRouteTable({ families: [{ name: 'fam', targets: ['groq/a', 'mistral/b'] }], catalogs: [catalog('groq', 'a')] });
    const [view] = routeViews(table, new RouteTraffic(), () => ({ state: 'ready', reason: null, until: null }));
    expect(view!.targets.map((t) => t.target)).toEqual(['groq/a']);
  });
});
