import '../test-support/setup';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { fakeApi } from '../test-support/fake-api';
import { makeAccount } from '../test-support/fixtures';
import { AccountsManager } from './AccountsManager';

const ACCOUNTS = [
  { key: 'GITHUB_TOKEN', plan: 'free' as const, disabled: false, source: 'added' as const },
  { key: 'GITHUB_TOKEN2', plan: 'pro' as const, disabled: false, source: 'added' as const },
  { key: 'WORK', plan: 'business' as const, disabled: true, source: 'added' as const },
];
const VIEWS = [makeAccount({ key: 'GITHUB_TOKEN', login: 'alice', masked: 'gho_…Xq' }), makeAccount({ key: 'GITHUB_TOKEN2', login: 'bob', masked: 'gho_…9U' })];

describe('AccountsManager', () => {
  it('lists accounts in order with login and masked token only', () => {
    render(<AccountsManager api={fakeApi()} accounts={ACCOUNTS} views={VIEWS} onChanged={vi.fn()} />);
    const rows = screen.getAllByRole('listitem');
    expect(rows.map((r) => r.dataset.account)).toEqual(['GITHUB_TOKEN', 'GITHUB_TOKEN2', 'WORK']);
    expect(rows[0]).toHaveTextContent('alice · gho_…Xq · Ready');
    expect(rows[2]).toHaveTextContent('login not known yet');
    expect(screen.getByLabelText('Enabled WORK')).not.toBeChecked();
  });

  it('moves an account down and up; the ends cannot move further', async () => {
    const api = fakeApi();
    const onChanged = vi.fn();
    const user = userEvent.setup();
    render(<AccountsManager api={api} accounts={ACCOUNTS} views={VIEWS} onChanged={onChanged} />);
    expect(screen.getByRole('button', { name: 'Move up GITHUB_TOKEN' })).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Move down WORK' })).toBeDisabled();
    await user.click(screen.getByRole('button', { name: 'Move down GITHUB_TOKEN' }));
    expect(api.reorderAccounts).toHaveBeenLastCalledWith(['GITHUB_TOKEN2', 'GITHUB_TOKEN', 'WORK']);
    await user.click(screen.getByRole('button', { name: 'Move up WORK' }));
    expect(api.reorderAccounts).toHaveBeenLastCalledWith(['GITHUB_TOKEN', 'WORK', 'GITHUB_TOKEN2']);
    expect(onChanged).toHaveBeenCalledTimes(2);
  });

  it('keeps keyboard focus on the moved account once the new order arrives', async () => {
    const api = fakeApi();
    const user = userEvent.setup();
    const { rerender } = render(<AccountsManager api={api} accounts={ACCOUNTS} views={VIEWS} onChanged={vi.fn()} />);
    screen.getByRole('button', { name: 'Move up GITHUB_TOKEN2' }).focus();
    await user.keyboard('{Enter}');
    expect(api.reorderAccounts).toHaveBeenLastCalledWith(['GITHUB_TOKEN2', 'GITHUB_TOKEN', 'WORK']);
    rerender(<AccountsManager api={api} accounts={[ACCOUNTS[1]!, ACCOUNTS[0]!, ACCOUNTS[2]!]} views={VIEWS} onChanged={vi.fn()} />);
    // At the top "Move up" is disabled, so focus lands on the same row's "Move down".
    expect(screen.getByRole('button', { name: 'Move down GITHUB_TOKEN2' })).toHaveFocus();
  });

  it('shows a toggled box at once, before the saved settings come back', async () => {
    const api = fakeApi();
    const user = userEvent.setup();
    render(<AccountsManager api={api} accounts={ACCOUNTS} views={VIEWS} onChanged={vi.fn()} />);
    await user.click(screen.getByLabelText('Enabled GITHUB_TOKEN'));
    expect(screen.getByLabelText('Enabled GITHUB_TOKEN')).not.toBeChecked();
  });

  it('changes the plan and enables or disables an account', async () => {
    const api = fakeApi();
    const user = userEvent.setup();
    render(<AccountsManager api={api} accounts={ACCOUNTS} views={VIEWS} onChanged={vi.fn()} />);
    await user.selectOptions(screen.getByLabelText('Plan for GITHUB_TOKEN2'), 'enterprise');
    expect(api.updateAccount).toHaveBeenLastCalledWith('GITHUB_TOKEN2', { plan: 'enterprise' });
    await user.click(screen.getByLabelText('Enabled GITHUB_TOKEN'));
    expect(api.updateAccount).toHaveBeenLastCalledWith('GITHUB_TOKEN', { disabled: true });
    await user.click(screen.getByLabelText('Enabled WORK'));
    expect(api.updateAccount).toHaveBeenLastCalledWith('WORK', { disabled: false });
  });

  it('asks before removing, and can be cancelled', async () => {
    const api = fakeApi();
    const user = userEvent.setup();
    render(<AccountsManager api={api} accounts={ACCOUNTS} views={VIEWS} onChanged={vi.fn()} />);
    await user.click(screen.getByRole('button', { name: 'Remove GITHUB_TOKEN2' }));
    const confirm = screen.getByRole('group', { name: 'Confirm removing GITHUB_TOKEN2' });
    await user.click(within(confirm).getByRole('button', { name: 'Cancel' }));
    expect(api.removeAccount).not.toHaveBeenCalled();
    await user.click(screen.getByRole('button', { name: 'Remove GITHUB_TOKEN2' }));
    await user.click(screen.getByRole('button', { name: 'Yes, remove GITHUB_TOKEN2' }));
    expect(api.removeAccount).toHaveBeenCalledWith('GITHUB_TOKEN2');
    expect(await screen.findByText('Removed GITHUB_TOKEN2.')).toBeInTheDocument();
  });

  it('says what to do when there are no accounts', () => {
    render(<AccountsManager api={fakeApi()} accounts={[]} views={[]} onChanged={vi.fn()} />);
    expect(screen.getByText('No accounts yet — add a provider key above.')).toBeInTheDocument();
  });

  it('marks accounts from the environment or the config file: disable-able, not removable here', async () => {
    const api = fakeApi();
    const user = userEvent.setup();
    const accounts = [
      { key: 'GITHUB_TOKEN', plan: 'free' as const, disabled: false, source: 'environment' as const },
      { key: 'groq-work', plan: 'free' as const, disabled: false, source: 'config' as const },
      { key: 'WORK', plan: 'free' as const, disabled: false, source: 'added' as const },
    ];
    render(<AccountsManager api={api} accounts={accounts} views={VIEWS} onChanged={vi.fn()} />);
    const rows = screen.getAllByRole('listitem');
    expect(within(rows[0]!).getByText('from environment')).toBeInTheDocument();
    expect(within(rows[0]!).getByText(/remove it there and restart/)).toBeInTheDocument();
    expect(within(rows[1]!).getByText('from config file')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Remove GITHUB_TOKEN' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Remove groq-work' })).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Remove WORK' })).toBeInTheDocument();
    expect(within(rows[2]!).queryByText(/from /)).not.toBeInTheDocument();
    await user.click(screen.getByLabelText('Enabled GITHUB_TOKEN'));
    expect(api.updateAccount).toHaveBeenCalledWith('GITHUB_TOKEN', { disabled: true });
  });
});
