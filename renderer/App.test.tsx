import './test-support/setup';
import { act, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { App } from './App';
import { fakeApi } from './test-support/fake-api';
import { makeAccount, makeEvent, makeSnapshot } from './test-support/fixtures';

describe('App', () => {
  it('asks for the link with the admin key when opened without it', () => {
    render(<App choice={{ kind: 'no-key' }} />);
    expect(screen.getByRole('alert')).toHaveTextContent('This dashboard needs its admin key.');
  });

  it('shows pushed snapshots and events without reloading', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date(2026, 10, 26, 12, 0, 0));
    const api = fakeApi({ snapshot: makeSnapshot({ accounts: [makeAccount({ login: 'alice' })] }) });
    render(<App choice={{ kind: 'http', api }} />);
    expect(await screen.findByRole('article', { name: 'alice' })).toBeInTheDocument();
    expect(screen.queryByText(/Cooling down/)).not.toBeInTheDocument();
    const until = Date.now() + 3_600_000;
    act(() => {
      api.push({
        type: 'snapshot',
        snapshot: makeSnapshot({
          generatedAt: 1,
          accounts: [
            makeAccount({
              login: 'alice',
              status: 'ok',
              blocks: [{ model: 'gpt-4o-mini', reason: 'rate-limit', limitType: 'UserByModelByDay', source: 'retry-after', until, retryAfterSeconds: 3600 }],
            }),
          ],
        }),
      });
      api.push({ type: 'events', events: [makeEvent(1, Date.now(), { kind: 'rotated', from: 'GITHUB_TOKEN', to: 'GITHUB_TOKEN2', model: 'gpt-4o-mini', reason: 'UserByModelByDay', resetsAt: until })] });
    });
    const card = screen.getByRole('article', { name: 'alice' });
    expect(within(card).getByRole('list', { name: 'Models cooling down on GITHUB_TOKEN' })).toHaveTextContent('gpt-4o-mini (UserByModelByDay) resets in 1 h at 13:00:00');
    expect(screen.getByText(/Rotated gpt-4o-mini from GITHUB_TOKEN to GITHUB_TOKEN2/)).toBeInTheDocument();
  });

  it('navigates between dashboard and settings by keyboard', async () => {
    const api = fakeApi();
    const user = userEvent.setup();
    render(<App choice={{ kind: 'http', api }} />);
    expect(await screen.findByText(/No accounts yet/)).toHaveTextContent('No accounts yet — add a provider key (Groq, Gemini, Cerebras, OpenRouter, …) in Settings.');
    const settingsLink = screen.getByRole('link', { name: 'Settings' });
    settingsLink.focus();
    await user.keyboard('{Enter}');
    await act(async () => {
      window.dispatchEvent(new HashChangeEvent('hashchange'));
    });
    expect(window.location.hash).toBe('#/settings');
    expect(await screen.findByRole('heading', { name: 'Add an account' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Settings' })).toHaveAttribute('aria-current', 'page');
    expect(screen.getByText('No accounts yet — add a provider key above.')).toBeInTheDocument();
  });

  it('says a refused admin key once, not twice', async () => {
    const reason = 'Switchyard refused the dashboard’s admin key. Open the dashboard again with the link that `switchyard serve` printed (it ends with #key=…).';
    const api = Object.assign(fakeApi(), {
      onConnectionChange: (listener: (state: { state: 'refused'; reason: string }) => void) => {
        listener({ state: 'refused', reason });
        return () => undefined;
      },
    });
    api.getSnapshot.mockRejectedValue(new Error(reason));
    render(<App choice={{ kind: 'http', api }} />);
    expect(await screen.findByRole('alert')).toHaveTextContent(`${reason} Live updates are off.`);
    await act(async () => undefined);
    expect(screen.getAllByText(/refused the dashboard’s admin key/)).toHaveLength(1);
    expect(screen.queryByRole('button', { name: 'Try again' })).not.toBeInTheDocument();
  });
});
