import '../test-support/setup';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { fakeApi } from '../test-support/fake-api';
import { makeSettings, makeSnapshot } from '../test-support/fixtures';
import { DesktopForm } from './DesktopForm';
import { LimitsForm } from './LimitsForm';
import { ProxyAddressForm } from './ProxyAddressForm';
import { RoutingForm } from './RoutingForm';

const settings = makeSettings();
const proxy = makeSnapshot().proxy;

describe('ProxyAddressForm', () => {
  it('explains a bad port and host before sending', async () => {
    const api = fakeApi();
    const user = userEvent.setup();
    render(<ProxyAddressForm api={api} settings={settings} proxy={proxy} onSaved={vi.fn()} />);
    const port = screen.getByLabelText('Port (PORT)');
    await user.clear(port);
    await user.type(port, '70000');
    await user.clear(screen.getByLabelText('Host (HOST)'));
    await user.type(screen.getByLabelText('Host (HOST)'), 'http://localhost');
    await user.click(screen.getByRole('button', { name: 'Save address' }));
    expect(screen.getByText('Port must be 65535 or less.')).toBeInTheDocument();
    expect(screen.getByText(/without http:\/\//)).toBeInTheDocument();
    expect(port).toHaveAttribute('aria-invalid', 'true');
    expect(port).toHaveAccessibleDescription(/Port must be 65535 or less/);
    expect(api.updateSettings).not.toHaveBeenCalled();
  });

  it('refuses a port that is not a number', async () => {
    const api = fakeApi();
    const user = userEvent.setup();
    render(<ProxyAddressForm api={api} settings={settings} proxy={proxy} onSaved={vi.fn()} />);
    await user.clear(screen.getByLabelText('Port (PORT)'));
    await user.type(screen.getByLabelText('Port (PORT)'), 'four thousand');
    await user.click(screen.getByRole('button', { name: 'Save address' }));
    expect(screen.getByText('Port must be a number, written with digits only (like 2000).')).toBeInTheDocument();
    expect(api.updateSettings).not.toHaveBeenCalled();
  });

  it('says which address is in effect and why, and offers no restart that would land on the same address', () => {
    const overridden = { ...proxy, port: 31010, baseUrl: 'http://127.0.0.1:31010/v1' };
    const { rerender } = render(<ProxyAddressForm api={fakeApi()} settings={settings} proxy={overridden} onSaved={vi.fn()} />);
    expect(screen.getByTestId('address-in-effect')).toHaveTextContent(
      'In effect now: 127.0.0.1:31010, set when Switchyard started by a command-line flag (--host, --port) or the HOST / PORT environment variable, which win over the saved 127.0.0.1:4000 while it runs.',
    );
    expect(screen.queryByRole('button', { name: 'Restart proxy now' })).not.toBeInTheDocument();
    rerender(<ProxyAddressForm api={fakeApi()} settings={settings} proxy={proxy} onSaved={vi.fn()} />);
    expect(screen.getByTestId('address-in-effect')).toHaveTextContent(/^In effect now: 127\.0\.0\.1:4000, the saved address\.$/);
  });

  it('saves a valid address, says it applies on restart and offers the restart', async () => {
    const saved = makeSettings({ port: 4100 });
    const api = fakeApi();
    api.updateSettings.mockResolvedValue(saved);
    const onSaved = vi.fn();
    const user = userEvent.setup();
    const { rerender } = render(<ProxyAddressForm api={api} settings={settings} proxy={proxy} onSaved={onSaved} />);
    await user.clear(screen.getByLabelText('Port (PORT)'));
    await user.type(screen.getByLabelText('Port (PORT)'), '4100');
    await user.click(screen.getByRole('button', { name: 'Save address' }));
    expect(api.updateSettings).toHaveBeenCalledWith({ host: '127.0.0.1', port: 4100 });
    expect(await screen.findByText('Saved. The proxy uses the new address after it restarts.')).toBeInTheDocument();
    expect(onSaved).toHaveBeenCalledWith(saved);
    rerender(<ProxyAddressForm api={api} settings={saved} proxy={{ ...proxy, status: 'error', error: 'Port 4100 is already in use' }} onSaved={onSaved} />);
    expect(screen.getByTestId('address-in-effect')).toHaveTextContent('Not listening now; it will listen on the saved 127.0.0.1:4100.');
    await user.click(screen.getByRole('button', { name: 'Restart proxy now' }));
    expect(api.stopProxy).toHaveBeenCalledTimes(1);
    expect(api.startProxy).toHaveBeenCalledTimes(1);
  });

  it('warns when the host is reachable from other computers', async () => {
    const user = userEvent.setup();
    render(<ProxyAddressForm api={fakeApi()} settings={settings} proxy={proxy} onSaved={vi.fn()} />);
    await user.clear(screen.getByLabelText('Host (HOST)'));
    await user.type(screen.getByLabelText('Host (HOST)'), '0.0.0.0');
    expect(screen.getByLabelText('Host (HOST)')).toHaveAccessibleDescription(/other computers on your network/);
  });
});

describe('LimitsForm', () => {
  it('labels the old system’s four settings by their names', () => {
    render(<LimitsForm api={fakeApi()} settings={settings} onSaved={vi.fn()} />);
    for (const name of ['ENABLE_MODEL_THROTTLING', 'MODEL_MIN_INTERVAL_MS', 'RATE_LIMIT_ENABLED', 'RATE_LIMIT_PER_MINUTE']) {
      expect(screen.getByLabelText(new RegExp(name))).toBeInTheDocument();
    }
  });

  it('explains a zero rate limit and sends nothing', async () => {
    const api = fakeApi();
    const user = userEvent.setup();
    render(<LimitsForm api={api} settings={settings} onSaved={vi.fn()} />);
    await user.clear(screen.getByLabelText(/RATE_LIMIT_PER_MINUTE/));
    await user.type(screen.getByLabelText(/RATE_LIMIT_PER_MINUTE/), '0');
    await user.click(screen.getByRole('button', { name: 'Save limits' }));
    expect(screen.getByText('Requests per minute (RATE_LIMIT_PER_MINUTE) must be 1 or more.')).toBeInTheDocument();
    expect(api.updateSettings).not.toHaveBeenCalled();
  });

  it('sends throttling and the inbound limit', async () => {
    const api = fakeApi();
    const user = userEvent.setup();
    render(<LimitsForm api={api} settings={settings} onSaved={vi.fn()} />);
    await user.click(screen.getByLabelText(/ENABLE_MODEL_THROTTLING/));
    await user.clear(screen.getByLabelText(/MODEL_MIN_INTERVAL_MS/));
    await user.type(screen.getByLabelText(/MODEL_MIN_INTERVAL_MS/), '2500');
    await user.click(screen.getByLabelText(/RATE_LIMIT_ENABLED/));
    await user.click(screen.getByRole('button', { name: 'Save limits' }));
    expect(api.updateSettings).toHaveBeenCalledWith({
      throttling: { enabled: true, minIntervalMs: 2500 },
      inboundRateLimit: { enabled: true, perMinute: 30 },
    });
    expect(await screen.findByText('Saved.')).toBeInTheDocument();
  });
});

describe('RoutingForm', () => {
  it('sends the strategy and maximum wait, refusing a wait beyond ten minutes', async () => {
    const api = fakeApi();
    const user = userEvent.setup();
    render(<RoutingForm api={api} settings={settings} onSaved={vi.fn()} />);
    await user.selectOptions(screen.getByLabelText('Strategy'), 'round-robin');
    const wait = screen.getByLabelText('Maximum wait, in milliseconds');
    await user.clear(wait);
    await user.type(wait, '900000');
    await user.click(screen.getByRole('button', { name: 'Save account choice' }));
    expect(screen.getByText('Maximum wait (ms) must be 600000 or less.')).toBeInTheDocument();
    expect(api.updateSettings).not.toHaveBeenCalled();
    await user.clear(wait);
    await user.type(wait, '5000');
    await user.click(screen.getByRole('button', { name: 'Save account choice' }));
    expect(api.updateSettings).toHaveBeenCalledWith({ strategy: 'round-robin', maxWaitMs: 5000 });
  });
});

describe('DesktopForm', () => {
  it('sends notifications per kind and launch at login', async () => {
    const api = fakeApi();
    const user = userEvent.setup();
    render(<DesktopForm api={api} settings={settings} onSaved={vi.fn()} />);
    await user.click(screen.getByLabelText('Rotation to another account'));
    await user.click(screen.getByLabelText('Launch Switchyard at login'));
    await user.click(screen.getByRole('button', { name: 'Save desktop settings' }));
    expect(api.updateSettings).toHaveBeenCalledWith({
      notifications: { rotation: false, invalid: true, exhausted: true, recovery: true },
      launchAtLogin: true,
    });
  });

  it('shows a refused save in plain words', async () => {
    const api = fakeApi();
    api.updateSettings.mockRejectedValue(new Error('The settings file could not be written: disk full.'));
    const user = userEvent.setup();
    render(<DesktopForm api={api} settings={settings} onSaved={vi.fn()} />);
    await user.click(screen.getByRole('button', { name: 'Save desktop settings' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('The settings file could not be written: disk full.');
  });
});
