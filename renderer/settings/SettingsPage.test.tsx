import '../test-support/setup';
import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { fakeApi } from '../test-support/fake-api';
import { makeAccount, makeSettings, makeSnapshot } from '../test-support/fixtures';
import { SettingsPage } from './SettingsPage';

describe('SettingsPage', () => {
  it('lists the accounts that serve traffic even when none was saved in settings (environment accounts)', async () => {
    const api = fakeApi();
    api.getSettings.mockResolvedValue(makeSettings({ accounts: [] }));
    api.listAccounts.mockResolvedValue([
      { key: 'GITHUB_TOKEN', plan: 'free', disabled: false, source: 'environment' },
      { key: 'GITHUB_TOKEN2', plan: 'free', disabled: false, source: 'environment' },
    ]);
    const snapshot = makeSnapshot({ accounts: [makeAccount({ key: 'GITHUB_TOKEN', login: 'alice' }), makeAccount({ key: 'GITHUB_TOKEN2', login: 'bob' })] });
    render(<SettingsPage api={api} snapshot={snapshot} />);
    const section = await screen.findByRole('region', { name: 'Accounts' });
    const rows = await within(section).findAllByRole('listitem');
    expect(rows.map((r) => r.dataset.account)).toEqual(['GITHUB_TOKEN', 'GITHUB_TOKEN2']);
    expect(within(section).getAllByText('from environment')).toHaveLength(2);
    expect(within(section).queryByText(/No accounts yet/)).not.toBeInTheDocument();
  });

  it('reloads the list when the snapshot gains an account', async () => {
    const api = fakeApi();
    api.listAccounts.mockResolvedValueOnce([]).mockResolvedValue([{ key: 'GROQ_API_KEY', plan: 'free', disabled: false, source: 'environment' }]);
    const { rerender } = render(<SettingsPage api={api} snapshot={makeSnapshot()} />);
    expect(await screen.findByText(/No accounts yet/)).toBeInTheDocument();
    rerender(<SettingsPage api={api} snapshot={makeSnapshot({ accounts: [makeAccount({ key: 'GROQ_API_KEY', login: null })] })} />);
    expect(await screen.findByText('from environment')).toBeInTheDocument();
  });

  it('offers the targets the snapshot says the catalogs serve when a route is created', async () => {
    const offered = ['groq/llama-3.3-70b-versatile', 'cerebras/llama-3.3-70b'];
    render(<SettingsPage api={fakeApi()} snapshot={makeSnapshot({ routeTargets: offered })} />);
    const region = await screen.findByRole('region', { name: 'Routes' });
    const first = within(region).getByLabelText('First target');
    const list = document.getElementById(first.getAttribute('list')!)!;
    expect([...list.querySelectorAll('option')].map((o) => o.value)).toEqual(offered);
  });
});
