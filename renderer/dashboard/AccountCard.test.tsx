import '../test-support/setup';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { makeAccount } from '../test-support/fixtures';
import { AccountCard } from './AccountCard';

const NOW = new Date(2026, 10, 26, 13, 0, 0).getTime();

describe('AccountCard', () => {
  it('shows login, avatar, key, masked token, plan, state and the current marker', () => {
    const account = makeAccount({
      login: 'alice',
      avatarUrl: 'https://avatars.githubusercontent.com/u/1',
      plan: 'pro',
      isCurrent: true,
      status: 'cooling',
    });
    render(<AccountCard account={account} now={NOW} onReset={vi.fn()} busy={false} />);
    const card = screen.getByRole('article', { name: 'alice' });
    expect(within(card).getByText(/pro plan/)).toHaveTextContent('GITHUB_TOKEN · gho_…Xq · pro plan');
    expect(within(card).getByText('Cooling down')).toBeInTheDocument();
    expect(within(card).getByText('Current')).toBeInTheDocument();
    expect(card.querySelector('img')).toHaveAttribute('src', 'https://avatars.githubusercontent.com/u/1');
  });

  it('uses the key as the name while the login is unknown, and has no current marker when not current', () => {
    render(<AccountCard account={makeAccount({ login: null, status: 'checking' })} now={NOW} onReset={vi.fn()} busy={false} />);
    const card = screen.getByRole('article', { name: 'GITHUB_TOKEN' });
    expect(within(card).getByText('Checking…')).toBeInTheDocument();
    expect(within(card).queryByText('Current')).not.toBeInTheDocument();
  });

  it('lists each cooling model with its countdown and local reset time, and forbidden models apart', () => {
    const until = NOW + 2 * 3600_000 + 3 * 60_000 + 4_000; // 15:03:04
    const account = makeAccount({
      blocks: [
        { model: 'gpt-4o-mini', reason: 'rate-limit', limitType: 'UserByModelByDay', source: 'retry-after', until, retryAfterSeconds: 7384 },
        { model: 'o1', reason: 'forbidden', limitType: null, source: 'upstream-403', until: null, retryAfterSeconds: null },
      ],
    });
    render(<AccountCard account={account} now={NOW} onReset={vi.fn()} busy={false} />);
    const cooling = screen.getByRole('list', { name: 'Models cooling down on GITHUB_TOKEN' });
    expect(within(cooling).getByText('gpt-4o-mini').closest('li')).toHaveTextContent('gpt-4o-mini (UserByModelByDay) resets in 2 h 4 min at 15:03:04');
    expect(within(cooling).queryByText('o1')).not.toBeInTheDocument();
    const forbidden = screen.getByRole('list', { name: 'Models GITHUB_TOKEN may not use' });
    expect(within(forbidden).getByText('o1')).toBeInTheDocument();
  });

  it('shows a user-wide pause with its countdown', () => {
    const account = makeAccount({ userBlock: { limitType: 'UserByMinute', until: NOW + 42_000, retryAfterSeconds: 42, source: 'retry-after' } });
    render(<AccountCard account={account} now={NOW} onReset={vi.fn()} busy={false} />);
    expect(screen.getByText(/All models paused/)).toHaveTextContent('All models paused (UserByMinute) — resets in 42 s at 13:00:42');
  });

  it('draws today’s usage against the forecast limit, and says when no limit is known', () => {
    const account = makeAccount({
      usage: [
        { model: 'gpt-4o-mini', minute: 1, day: 120, tokensDay: 0, inFlight: 0, limits: { perMinute: 15, perDay: 150, concurrent: 5 } },
        { model: 'mystery-model', minute: 0, day: 3, tokensDay: 0, inFlight: 1, limits: null },
      ],
    });
    render(<AccountCard account={account} now={NOW} onReset={vi.fn()} busy={false} />);
    const meter = screen.getByRole('meter', { name: 'gpt-4o-mini' });
    expect(meter).toHaveAttribute('value', '120');
    expect(meter).toHaveAttribute('max', '150');
    expect(screen.getByText('120 of 150 today')).toBeInTheDocument();
    expect(screen.getByText('3 today (no forecast limit known), 1 in flight')).toBeInTheDocument();
    expect(screen.queryByRole('meter', { name: 'mystery-model' })).not.toBeInTheDocument();
  });

  it('shows consecutive failures and warns when another account is the same GitHub user', () => {
    render(<AccountCard account={makeAccount({ failures: 3, sharesQuotaWith: ['GITHUB_TOKEN2'] })} now={NOW} onReset={vi.fn()} busy={false} />);
    expect(screen.getByText(/Consecutive failures/)).toHaveTextContent('Consecutive failures: 3');
    expect(screen.getByText(/Same GitHub user as GITHUB_TOKEN2: they share one quota/)).toBeInTheDocument();
  });

  it('resets one model or the whole account', async () => {
    const user = userEvent.setup();
    const onReset = vi.fn();
    const account = makeAccount({
      blocks: [{ model: 'gpt-4o-mini', reason: 'rate-limit', limitType: 'UserByModelByMinute', source: 'retry-after', until: NOW + 30_000, retryAfterSeconds: 30 }],
    });
    render(<AccountCard account={account} now={NOW} onReset={onReset} busy={false} />);
    await user.click(screen.getByRole('button', { name: 'Reset gpt-4o-mini on GITHUB_TOKEN' }));
    expect(onReset).toHaveBeenLastCalledWith({ account: 'GITHUB_TOKEN', model: 'gpt-4o-mini' });
    await user.click(screen.getByRole('button', { name: 'Reset account GITHUB_TOKEN' }));
    expect(onReset).toHaveBeenLastCalledWith({ account: 'GITHUB_TOKEN' });
  });

  it('says "Retired" for an account whose provider retired its API, with the reason', () => {
    render(<AccountCard account={makeAccount({ status: 'retired', statusReason: 'GitHub Models answers 410 Gone' })} now={NOW} onReset={vi.fn()} busy={false} />);
    const card = screen.getByRole('article', { name: 'alice' });
    expect(within(card).getByText('Retired')).toHaveClass('badge', 'badge-retired');
    expect(within(card).getByText('GitHub Models answers 410 Gone')).toBeInTheDocument();
    expect(within(card).queryByText('Ready')).not.toBeInTheDocument();
  });

  it('does not say "Ready" when the only model the account serves is cooling', () => {
    const cooling = { model: 'gpt-4o-mini', reason: 'rate-limit' as const, limitType: 'UserByModelByDay' as const, source: 'retry-after' as const, until: NOW + 60_000, retryAfterSeconds: 60 };
    const usage = (model: string) => ({ model, minute: 0, day: 1, tokensDay: 0, inFlight: 0, limits: null });
    const { rerender } = render(<AccountCard account={makeAccount({ blocks: [cooling], usage: [usage('gpt-4o-mini')] })} now={NOW} onReset={vi.fn()} busy={false} />);
    const badges = () => screen.getByRole('article', { name: 'alice' }).querySelector('.card-badges')!;
    expect(badges()).toHaveTextContent(/^Cooling down$/);
    rerender(<AccountCard account={makeAccount({ blocks: [cooling], usage: [usage('gpt-4o-mini'), usage('gpt-4o')] })} now={NOW} onReset={vi.fn()} busy={false} />);
    expect(badges()).toHaveTextContent(/^Ready$/);
    rerender(<AccountCard account={makeAccount({ blocks: [cooling], usage: [usage('gpt-4o-mini')] })} now={NOW + 60_000} onReset={vi.fn()} busy={false} />);
    expect(badges()).toHaveTextContent(/^Ready$/);
  });

  it('loads no avatar from the internet when told not to (the offline demo)', () => {
    render(<AccountCard account={makeAccount({ avatarUrl: 'https://avatars.githubusercontent.com/u/1' })} now={NOW} onReset={vi.fn()} busy={false} remoteAvatar={false} />);
    const card = screen.getByRole('article', { name: 'alice' });
    expect(card.querySelector('img')).toBeNull();
    expect(card.querySelector('.avatar-none')).toHaveTextContent('A');
  });
});
