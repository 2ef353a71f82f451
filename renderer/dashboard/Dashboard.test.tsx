import '../test-support/setup';
import { act, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { fakeApi } from '../test-support/fake-api';
import { makeAccount, makeSnapshot } from '../test-support/fixtures';
import { RETIRED_WARNING } from '../../shared/test-support/snapshot-fixtures';
import { Dashboard } from './Dashboard';

const T0 = new Date(2026, 10, 26, 13, 0, 0).getTime();

function coolingSnapshot(until: number) {
  return makeSnapshot({
    accounts: [
      makeAccount({
        key: 'GITHUB_TOKEN',
        login: 'alice',
        status: 'ok',
        blocks: [{ model: 'gpt-4o-mini', reason: 'rate-limit', limitType: 'UserByModelByMinute', source: 'retry-after', until, retryAfterSeconds: 65 }],
      }),
    ],
  });
}

const countdownOf = (model: string) => screen.getByText(model).closest('li')!.querySelector('.countdown-left')!;

describe('Dashboard countdowns (fake clock)', () => {
  it('counts down every second from the absolute reset time', () => {
    vi.useFakeTimers();
    vi.setSystemTime(T0);
    render(<Dashboard api={fakeApi()} snapshot={coolingSnapshot(T0 + 65_000)} events={[]} />);
    expect(countdownOf('gpt-4o-mini')).toHaveTextContent(/^1 min 5 s$/);
    act(() => vi.advanceTimersByTime(1_000));
    expect(countdownOf('gpt-4o-mini')).toHaveTextContent(/^1 min 4 s$/);
    act(() => vi.advanceTimersByTime(4_000));
    expect(countdownOf('gpt-4o-mini')).toHaveTextContent(/^1 min$/);
  });

  it('is right after a sleep: the first tick after waking shows the true time left', () => {
    vi.useFakeTimers();
    vi.setSystemTime(T0);
    render(<Dashboard api={fakeApi()} snapshot={coolingSnapshot(T0 + 3_600_000)} events={[]} />);
    expect(countdownOf('gpt-4o-mini')).toHaveTextContent(/^1 h$/);
    // The machine sleeps 40 minutes: the clock jumps, timers fire once on waking.
    vi.setSystemTime(T0 + 40 * 60_000);
    act(() => vi.advanceTimersByTime(1_000));
    expect(countdownOf('gpt-4o-mini')).toHaveTextContent(/^20 min$/);
  });

  it('says "resetting now" once the reset time has passed, until a new snapshot arrives', () => {
    vi.useFakeTimers();
    vi.setSystemTime(T0);
    render(<Dashboard api={fakeApi()} snapshot={coolingSnapshot(T0 + 2_000)} events={[]} />);
    act(() => vi.advanceTimersByTime(3_000));
    expect(countdownOf('gpt-4o-mini')).toHaveTextContent('resetting now');
  });

  it('counts down models no account can serve', () => {
    vi.useFakeTimers();
    vi.setSystemTime(T0);
    const snapshot = makeSnapshot({ accounts: [makeAccount()], exhaustedModels: [{ model: 'gpt-4o', until: T0 + 90_000 }] });
    render(<Dashboard api={fakeApi()} snapshot={snapshot} events={[]} />);
    const section = screen.getByRole('region', { name: 'Models no account can serve now' });
    expect(section).toHaveTextContent('gpt-4o: resets in 1 min 30 s at 13:01:30');
  });
});

describe('Dashboard', () => {
  it('says what to do when there are no accounts', () => {
    render(<Dashboard api={fakeApi()} snapshot={makeSnapshot()} events={[]} />);
    expect(screen.getByText(/No accounts yet/)).toHaveTextContent('No accounts yet — add a provider key (Groq, Gemini, Cerebras, OpenRouter, …) in Settings.');
    expect(screen.getByRole('link', { name: 'add a provider key' })).toHaveAttribute('href', '#/settings');
    expect(screen.queryByRole('button', { name: 'Reset all' })).not.toBeInTheDocument();
  });

  it('states every warning of the snapshot in a banner above everything, and none when there is none', () => {
    const retired = makeAccount({ key: 'GITHUB_TOKEN', login: 'alice', status: 'retired' });
    const { rerender } = render(<Dashboard api={fakeApi()} snapshot={makeSnapshot({ accounts: [retired], warnings: [RETIRED_WARNING] })} events={[]} />);
    const banner = screen.getByRole('region', { name: 'Warnings' });
    expect(within(banner).getByRole('alert')).toHaveTextContent(/^GitHub retired GitHub Models on 2026-07-30 — add an account of another provider$/);
    expect(banner.compareDocumentPosition(screen.getByRole('region', { name: 'Proxy' })) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    rerender(<Dashboard api={fakeApi()} snapshot={makeSnapshot({ accounts: [retired] })} events={[]} />);
    expect(screen.queryByRole('region', { name: 'Warnings' })).not.toBeInTheDocument();
  });

  it('in the offline demo (--simulate) no avatar is fetched from the internet', () => {
    const account = makeAccount({ avatarUrl: 'https://avatars.githubusercontent.com/u/1' });
    const { container, rerender } = render(<Dashboard api={fakeApi()} snapshot={makeSnapshot({ simulate: true, accounts: [account] })} events={[]} />);
    expect(container.querySelectorAll('img')).toHaveLength(0);
    rerender(<Dashboard api={fakeApi()} snapshot={makeSnapshot({ simulate: false, accounts: [account] })} events={[]} />);
    expect(container.querySelectorAll('img')).toHaveLength(1);
  });

  it('shows the snapshot’s routes, each target with its state and counts, and no routes panel without routes', () => {
    const target = { provider: 'groq', model: 'llama-3.3-70b-versatile', target: 'groq/llama-3.3-70b-versatile', state: 'ready' as const, reason: null, until: null, served: 4, fallbacks: 0, lastServed: true, lacks: [] };
    const route = { name: 'llama-3.3-70b', origin: 'family' as const, spread: false, shadows: null, targets: [target] };
    const { rerender } = render(<Dashboard api={fakeApi()} snapshot={makeSnapshot({ accounts: [makeAccount()], routes: [route] })} events={[]} />);
    const panel = screen.getByRole('region', { name: 'Routes' });
    const row = within(within(panel).getByRole('article', { name: 'llama-3.3-70b' })).getAllByRole('row')[1]!;
    expect(row).toHaveAttribute('data-target', 'groq/llama-3.3-70b-versatile');
    expect(within(row).getAllByRole('cell').map((c) => c.textContent)).toEqual(['Ready', '4', '0']);
    rerender(<Dashboard api={fakeApi()} snapshot={makeSnapshot({ accounts: [makeAccount()] })} events={[]} />);
    expect(screen.queryByRole('region', { name: 'Routes' })).not.toBeInTheDocument();
  });

  it('renders one card per account', () => {
    const snapshot = makeSnapshot({ accounts: [makeAccount({ key: 'GITHUB_TOKEN', login: 'alice' }), makeAccount({ key: 'GITHUB_TOKEN2', login: 'bob' })] });
    render(<Dashboard api={fakeApi()} snapshot={snapshot} events={[]} />);
    expect(screen.getByRole('article', { name: 'alice' })).toBeInTheDocument();
    expect(screen.getByRole('article', { name: 'bob' })).toBeInTheDocument();
  });

  it('resets everything with "Reset all" and says how much was cleared', async () => {
    const api = fakeApi();
    api.reset.mockResolvedValue({ cleared: 3 });
    const user = userEvent.setup();
    render(<Dashboard api={api} snapshot={makeSnapshot({ accounts: [makeAccount()] })} events={[]} />);
    await user.click(screen.getByRole('button', { name: 'Reset all' }));
    expect(api.reset).toHaveBeenCalledWith({});
    expect(await screen.findByText('Cleared 3 blocks.')).toBeInTheDocument();
  });

  it('shows a failed reset in plain words', async () => {
    const api = fakeApi();
    api.reset.mockRejectedValue(new Error('Cannot reach Switchyard at http://127.0.0.1:4000.'));
    const user = userEvent.setup();
    render(<Dashboard api={api} snapshot={makeSnapshot({ accounts: [makeAccount()] })} events={[]} />);
    await user.click(screen.getByRole('button', { name: 'Reset all' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Cannot reach Switchyard at http://127.0.0.1:4000.');
  });

  it('starts and stops the proxy; the button for the current state is disabled', async () => {
    const api = fakeApi();
    const user = userEvent.setup();
    const { rerender } = render(<Dashboard api={api} snapshot={makeSnapshot()} events={[]} />);
    const panel = screen.getByRole('region', { name: 'Proxy' });
    expect(within(panel).getByTestId('proxy-status')).toHaveTextContent('Running');
    expect(within(panel).getByRole('button', { name: 'Start proxy' })).toBeDisabled();
    await user.click(within(panel).getByRole('button', { name: 'Stop proxy' }));
    expect(api.stopProxy).toHaveBeenCalledTimes(1);
    rerender(
      <Dashboard
        api={api}
        snapshot={makeSnapshot({ proxy: { ...makeSnapshot().proxy, status: 'error', error: 'Port 4000 is already in use' } })}
        events={[]}
      />,
    );
    expect(within(panel).getByRole('alert')).toHaveTextContent('Port 4000 is already in use');
    await user.click(within(panel).getByRole('button', { name: 'Start proxy' }));
    expect(api.startProxy).toHaveBeenCalledTimes(1);
  });
});
