import '../test-support/setup';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { fakeApi } from '../test-support/fake-api';
import { ApiKeyPanel } from './ApiKeyPanel';

describe('ApiKeyPanel', () => {
  it('generates a key and shows it once with a copy button', async () => {
    const api = fakeApi();
    const onChanged = vi.fn();
    const user = userEvent.setup();
    const { rerender } = render(<ApiKeyPanel api={api} isSet={false} required={false} onChanged={onChanged} />);
    expect(screen.getByText(/No client API key/)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Clear key' })).toBeDisabled();
    await user.click(screen.getByRole('button', { name: 'Generate key' }));
    expect(await screen.findByLabelText(/shown only once/)).toHaveValue('sy-client-key-1234567890');
    expect(onChanged).toHaveBeenCalled();
    await user.click(screen.getByRole('button', { name: 'Copy key' }));
    expect(await navigator.clipboard.readText()).toBe('sy-client-key-1234567890');
    rerender(<ApiKeyPanel api={api} isSet={true} required={true} onChanged={onChanged} />);
    await user.click(screen.getByRole('button', { name: 'Clear key' }));
    expect(api.clearApiKey).toHaveBeenCalledTimes(1);
    expect(screen.queryByLabelText(/shown only once/)).not.toBeInTheDocument();
  });

  it('never shows a saved key, only that one is set', () => {
    render(<ApiKeyPanel api={fakeApi()} isSet={true} required={true} onChanged={vi.fn()} />);
    expect(screen.getByText(/A client API key is set/)).toBeInTheDocument();
    expect(screen.queryByRole('textbox')).not.toBeInTheDocument();
  });
});
