import '../test-support/setup';
import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { RouteTargetView, RouteView } from '../../shared/routes';
import { RoutesPanel } from './RoutesPanel';

const NOW = new Date(2026, 10, 26, 13, 0, 0).getTime();

function target(id: string, overrides: Partial<RouteTargetView> = {}): RouteTargetView {
  const slash = id.indexOf('/');
  return { target: id, provider: id.slice(0, slash), model: id.slice(slash + 1), state: 'ready', reason: null, until: null, served: 0, fallbacks: 0, lastServed: false, lacks: [], ...overrides };
}

const LLAMA: RouteView = {
  name: 'llama-3.3-70b',
  origin: 'settings',
  spread: false,
  shadows: 'family',
  targets: [
    target('groq/llama-3.3-70b-versatile', { state: 'limited', reason: 'requests per day', until: NOW + 65 * 60_000, served: 12 }),
    target('cerebras/llama-3.3-70b', { served: 3, fallbacks: 3, lastServed: true, lacks: ['tools', 'vision'] }),
    target('mistral/x', { state: 'dropped', reason: 'mistral/x: no mistral account' }),
  ],
};

describe('RoutesPanel', () => {
  it('shows each target’s state, its counts and where the latest request went', () => {
    render(<RoutesPanel routes={[LLAMA, { name: 'gpt-oss-120b', origin: 'family', spread: true, shadows: null, targets: [target('groq/openai/gpt-oss-120b')] }]} now={NOW} />);
    const route = screen.getByRole('article', { name: 'llama-3.3-70b' });
    expect(route).toHaveTextContent('your route (Settings) — replaces the built-in family of the same name · targets in order');
    const rows = within(route).getAllByRole('row').slice(1);
    expect(rows.map((r) => r.dataset.target)).toEqual(['groq/llama-3.3-70b-versatile', 'cerebras/llama-3.3-70b', 'mistral/x']);
    expect(rows[0]).toHaveTextContent(/Rate-limited resets in 1 h 5 min at .* — requests per day\s*120$/);
    expect(rows[1]).toHaveTextContent('cerebras/llama-3.3-70b Latest');
    expect(within(rows[1]!).getAllByRole('cell').map((c) => c.textContent)).toEqual(['Ready · skipped for requests with tools or images', '3', '3']);
    expect(rows[2]).toHaveTextContent('Not used — mistral/x: no mistral account');
    expect(screen.getByRole('article', { name: 'gpt-oss-120b' })).toHaveTextContent('built-in family · spreads requests over its targets');
  });

  it('renders nothing without routes', () => {
    const { container } = render(<RoutesPanel routes={[]} now={NOW} />);
    expect(container).toBeEmptyDOMElement();
  });
});
