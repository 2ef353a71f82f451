import '../test-support/setup';
import { fireEvent, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { RouteSetting } from '../../shared/routes';
import { fakeApi } from '../test-support/fake-api';
import { makeSettings } from '../test-support/fixtures';
import { RoutesEditor } from './RoutesEditor';

const LLAMA: RouteSetting = { name: 'llama', targets: ['groq/llama-3.3-70b-versatile', 'cerebras/llama-3.3-70b', 'nvidia/meta/llama-3.3-70b-instruct'], spread: false };
const OFFERED = ['groq/llama-3.3-70b-versatile', 'cerebras/llama-3.3-70b', 'openrouter/meta-llama/llama-3.3-70b-instruct:free'];

function setup(routes: RouteSetting[] = [LLAMA]) {
  const api = fakeApi();
  api.updateSettings.mockImplementation(async (patch: { routes?: RouteSetting[] }) => makeSettings({ routes: patch.routes ?? [] }));
  const onSaved = vi.fn();
  const view = render(<RoutesEditor api={api} routes={routes} offered={OFFERED} onSaved={onSaved} />);
  return { api, onSaved, user: userEvent.setup(), ...view };
}

const targetsOf = (route: string) =>
  within(screen.getByRole('list', { name: `Targets of ${route}, in order` }))
    .getAllByRole('listitem')
    .map((row) => row.dataset.target);
const lastRoutes = (api: ReturnType<typeof fakeApi>) => (api.updateSettings.mock.lastCall![0] as { routes: RouteSetting[] }).routes;

describe('RoutesEditor', () => {
  it('creates a route from a name and a first target, offering the served ids', async () => {
    const { api, onSaved, user } = setup([]);
    expect(screen.getByText('No routes of your own yet.')).toBeInTheDocument();
    const first = screen.getByLabelText('First target');
    const offered = document.getElementById(first.getAttribute('list')!)!;
    expect([...offered.querySelectorAll('option')].map((o) => o.value)).toEqual(OFFERED);
    await user.type(screen.getByLabelText(/Route name/), 'fast');
    await user.type(first, 'groq/llama-3.1-8b-instant');
    await user.click(screen.getByRole('button', { name: 'Create route' }));
    expect(api.updateSettings).toHaveBeenCalledWith({ routes: [{ name: 'fast', targets: ['groq/llama-3.1-8b-instant'], spread: false }] });
    expect(await screen.findByText('Created route fast.')).toBeInTheDocument();
    expect(onSaved).toHaveBeenCalledTimes(1);
    expect(screen.getByLabelText(/Route name/)).toHaveValue('');
  });

  it('says what is wrong before sending anything', async () => {
    const { api, user } = setup();
    await user.click(screen.getByRole('button', { name: 'Create route' }));
    expect(screen.getByRole('alert')).toHaveTextContent('A route needs a name.');
    await user.type(screen.getByLabelText(/Route name/), 'LLAMA');
    await user.type(screen.getByLabelText('First target'), 'groq/x');
    await user.click(screen.getByRole('button', { name: 'Create route' }));
    expect(screen.getByRole('alert')).toHaveTextContent('Two routes are named LLAMA.');
    await user.clear(screen.getByLabelText(/Route name/));
    await user.type(screen.getByLabelText(/Route name/), 'other');
    await user.clear(screen.getByLabelText('First target'));
    await user.type(screen.getByLabelText('First target'), 'llama-3.3-70b');
    await user.click(screen.getByRole('button', { name: 'Create route' }));
    expect(screen.getByRole('alert')).toHaveTextContent('other: A target is a provider id, a slash and the model, like groq/llama-3.3-70b-versatile.');
    expect(api.updateSettings).not.toHaveBeenCalled();
  });

  it('reorders targets by keyboard, keeping focus on the moved target', async () => {
    const { api, user } = setup();
    expect(screen.getByRole('button', { name: 'Move up groq/llama-3.3-70b-versatile in llama' })).toBeDisabled();
    screen.getByRole('button', { name: 'Move down groq/llama-3.3-70b-versatile in llama' }).focus();
    await user.keyboard('{Enter}');
    expect(lastRoutes(api)[0]!.targets).toEqual(['cerebras/llama-3.3-70b', 'groq/llama-3.3-70b-versatile', 'nvidia/meta/llama-3.3-70b-instruct']);
    expect(targetsOf('llama')).toEqual(['cerebras/llama-3.3-70b', 'groq/llama-3.3-70b-versatile', 'nvidia/meta/llama-3.3-70b-instruct']);
    expect(await screen.findByText('Moved groq/llama-3.3-70b-versatile to place 2 of llama.')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Move down groq/llama-3.3-70b-versatile in llama' })).toHaveFocus();
    await user.keyboard('{Enter}');
    expect(targetsOf('llama')).toEqual(['cerebras/llama-3.3-70b', 'nvidia/meta/llama-3.3-70b-instruct', 'groq/llama-3.3-70b-versatile']);
    // At the bottom "Move down" is disabled, so focus lands on the same row's "Move up".
    expect(await screen.findByRole('button', { name: 'Move up groq/llama-3.3-70b-versatile in llama' })).toHaveFocus();
  });

  it('reorders targets by dragging one row onto another', async () => {
    const { api } = setup();
    const rows = within(screen.getByRole('list', { name: 'Targets of llama, in order' })).getAllByRole('listitem');
    fireEvent.dragStart(rows[2]!);
    fireEvent.dragOver(rows[0]!);
    fireEvent.drop(rows[0]!);
    expect(lastRoutes(api)[0]!.targets).toEqual(['nvidia/meta/llama-3.3-70b-instruct', 'groq/llama-3.3-70b-versatile', 'cerebras/llama-3.3-70b']);
    expect(await screen.findByText('Moved nvidia/meta/llama-3.3-70b-instruct to place 1 of llama.')).toBeInTheDocument();
  });

  it('adds and removes targets, turns spread on, and removes the route', async () => {
    const { api, user } = setup();
    const add = screen.getByLabelText('Add a target to llama');
    const offered = document.getElementById(add.getAttribute('list')!)!;
    expect([...offered.querySelectorAll('option')].map((o) => o.value)).toEqual(['openrouter/meta-llama/llama-3.3-70b-instruct:free']);
    await user.type(add, 'openrouter/meta-llama/llama-3.3-70b-instruct:free');
    await user.click(screen.getByRole('button', { name: 'Add target to llama' }));
    expect(targetsOf('llama')).toHaveLength(4);
    await user.click(screen.getByRole('button', { name: 'Remove cerebras/llama-3.3-70b from llama' }));
    expect(lastRoutes(api)[0]!.targets).toEqual(['groq/llama-3.3-70b-versatile', 'nvidia/meta/llama-3.3-70b-instruct', 'openrouter/meta-llama/llama-3.3-70b-instruct:free']);
    await user.click(screen.getByLabelText('Spread requests over the targets of llama'));
    expect(lastRoutes(api)[0]!.spread).toBe(true);
    await user.click(screen.getByRole('button', { name: 'Remove route llama' }));
    expect(lastRoutes(api)).toEqual([]);
    expect(await screen.findByText('Removed route llama.')).toBeInTheDocument();
  });

  it('keeps at least one target: the last one cannot be removed', () => {
    setup([{ name: 'one', targets: ['groq/x'], spread: false }]);
    expect(screen.getByRole('button', { name: 'Remove groq/x from one' })).toBeDisabled();
  });

  it('puts the saved order back when saving fails', async () => {
    const { api, user } = setup();
    api.updateSettings.mockRejectedValueOnce(new Error('The engine is not reachable.'));
    await user.click(screen.getByRole('button', { name: 'Move down cerebras/llama-3.3-70b in llama' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('The engine is not reachable.');
    expect(targetsOf('llama')).toEqual(LLAMA.targets);
  });
});
