import '../test-support/setup';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../shared/events';
import { makeEvent } from '../test-support/fixtures';
import { Timeline } from './Timeline';

const at = (h: number, m: number, s: number) => new Date(2026, 10, 26, h, m, s).getTime();

// An earlier run that hit a daily limit, then a restart at 13:28:28, then fresh events.
const EVENTS: EngineEvent[] = [
  makeEvent(1, at(9, 0, 0), { kind: 'started', version: '0.1.0', host: '127.0.0.1', port: 4000, accounts: 2 }, 'run1'),
  makeEvent(2, at(9, 5, 0), { kind: 'cooldown-started', account: 'GITHUB_TOKEN', login: 'alice', model: 'gpt-4o-mini', limitType: 'UserByModelByDay', until: at(23, 0, 0) }, 'run1'),
  makeEvent(3, at(9, 5, 0), { kind: 'rotated', from: 'GITHUB_TOKEN', to: 'GITHUB_TOKEN2', model: 'gpt-4o-mini', reason: 'UserByModelByDay', resetsAt: at(23, 0, 0) }, 'run1'),
  makeEvent(4, at(13, 28, 28), { kind: 'started', version: '0.1.0', host: '127.0.0.1', port: 4000, accounts: 2 }),
  makeEvent(5, at(13, 30, 1), { kind: 'account-invalid', account: 'GITHUB_TOKEN2', login: 'bob', reason: 'Bad credentials' }),
  makeEvent(6, at(13, 31, 0), { kind: 'manual-reset', account: 'GITHUB_TOKEN', model: null }),
];

const items = () => within(screen.getByRole('list', { name: 'Events, newest first' })).getAllByRole('listitem');

describe('Timeline', () => {
  it('lists events newest first with exact local timestamps and marks each restart', () => {
    render(<Timeline events={EVENTS} accountKeys={['GITHUB_TOKEN', 'GITHUB_TOKEN2']} startId="run2" />);
    const rows = items();
    expect(rows.map((r) => r.dataset.kind)).toEqual(['manual-reset', 'account-invalid', 'started', 'rotated', 'cooldown-started', 'started']);
    expect(rows[0]).toHaveTextContent('2026-11-26 13:31:00 Reset by hand: GITHUB_TOKEN');
    expect(rows[1]).toHaveTextContent('2026-11-26 13:30:01 GITHUB_TOKEN2 (bob): token invalid — Bad credentials');
    expect(rows[2]).toHaveTextContent(/^started 13:28:28/);
    expect(rows[5]).toHaveTextContent(/^started 09:00:00/);
  });

  it('tags events of an earlier run, so old errors are not taken for current ones', () => {
    render(<Timeline events={EVENTS} accountKeys={['GITHUB_TOKEN']} startId="run2" />);
    const rows = items();
    expect(within(rows[3]!).getByText('earlier run')).toBeInTheDocument();
    expect(within(rows[4]!).getByText('earlier run')).toBeInTheDocument();
    expect(within(rows[0]!).queryByText('earlier run')).not.toBeInTheDocument();
  });

  it('filters by account and keeps the restart markers', async () => {
    const user = userEvent.setup();
    render(<Timeline events={EVENTS} accountKeys={['GITHUB_TOKEN', 'GITHUB_TOKEN2']} startId="run2" />);
    await user.selectOptions(screen.getByLabelText('Account'), 'GITHUB_TOKEN2');
    expect(items().map((r) => r.dataset.kind)).toEqual(['account-invalid', 'started', 'rotated', 'started']);
  });

  it('filters by kind and keeps the restart markers', async () => {
    const user = userEvent.setup();
    render(<Timeline events={EVENTS} accountKeys={['GITHUB_TOKEN', 'GITHUB_TOKEN2']} startId="run2" />);
    await user.selectOptions(screen.getByLabelText('Kind'), 'Rotations');
    expect(items().map((r) => r.dataset.kind)).toEqual(['started', 'rotated', 'started']);
    await user.selectOptions(screen.getByLabelText('Kind'), 'Resets');
    await user.selectOptions(screen.getByLabelText('Account'), 'GITHUB_TOKEN2');
    expect(screen.getByText('No events match these filters.')).toBeInTheDocument();
  });

  it('offers accounts seen only in events (removed ones) in the filter', () => {
    render(<Timeline events={EVENTS} accountKeys={['GITHUB_TOKEN']} startId="run2" />);
    const options = within(screen.getByLabelText('Account')).getAllByRole('option').map((o) => o.textContent);
    expect(options).toEqual(['All accounts', 'GITHUB_TOKEN', 'GITHUB_TOKEN2']);
  });

  it('says what will appear when there are no events yet', () => {
    render(<Timeline events={[]} accountKeys={[]} startId="run2" />);
    expect(screen.getByText(/No events yet/)).toBeInTheDocument();
  });

  it('says which replica an event heard from another replica of a team server came from', () => {
    const heard = { ...makeEvent(7, at(13, 32, 0), { kind: 'rotated', from: 'GROQ_API_KEY', to: 'GROQ_API_KEY_2', model: 'llama-3.3-70b', reason: 'UserByModelByDay', resetsAt: null }), origin: { replica: '3f2a9c1d', id: 41 } };
    const started = { ...makeEvent(8, at(13, 33, 0), { kind: 'started', version: '0.1.0', host: '0.0.0.0', port: 4000, accounts: 2 }), origin: { replica: '3f2a9c1d', id: 42 } };
    render(<Timeline events={[...EVENTS, heard, started]} accountKeys={['GROQ_API_KEY']} startId="run2" />);
    const rows = items();
    expect(rows[0]).toHaveTextContent(/^started 13:33:00.*on replica 3f2a9c1d$/);
    expect(within(rows[1]!).getByText('on replica 3f2a9c1d')).toBeInTheDocument();
    expect(within(rows[1]!).queryByText('earlier run')).not.toBeInTheDocument();
    // This replica's own events name no replica.
    for (const row of rows.slice(2)) expect(row).not.toHaveTextContent('on replica');
  });
});
