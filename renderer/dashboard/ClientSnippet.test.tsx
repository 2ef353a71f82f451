import '../test-support/setup';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { makeSnapshot } from '../test-support/fixtures';
import { ClientSnippet } from './ClientSnippet';

const proxy = (apiKeyRequired: boolean) => ({ ...makeSnapshot().proxy, baseUrl: 'http://127.0.0.1:4123/v1', apiKeyRequired });

describe('ClientSnippet', () => {
  it('uses the base URL from the snapshot, in every language', async () => {
    const user = userEvent.setup();
    render(<ClientSnippet proxy={proxy(false)} />);
    expect(screen.getByLabelText('OpenAI SDK (Python) snippet')).toHaveTextContent('base_url="http://127.0.0.1:4123/v1", api_key="unused"');
    await user.click(screen.getByRole('button', { name: 'OpenAI SDK (Node)' }));
    expect(screen.getByLabelText('OpenAI SDK (Node) snippet')).toHaveTextContent("baseURL: 'http://127.0.0.1:4123/v1'");
    await user.click(screen.getByRole('button', { name: 'curl' }));
    expect(screen.getByRole('button', { name: 'curl' })).toHaveAttribute('aria-pressed', 'true');
    expect(screen.getByLabelText('curl snippet')).toHaveTextContent('curl http://127.0.0.1:4123/v1/chat/completions');
    expect(screen.getByLabelText('curl snippet')).not.toHaveTextContent('Authorization');
  });

  it('mentions the client API key when the proxy requires one', async () => {
    const user = userEvent.setup();
    render(<ClientSnippet proxy={proxy(true)} />);
    expect(screen.getByLabelText('OpenAI SDK (Python) snippet')).toHaveTextContent('api_key=os.environ["SWITCHYARD_API_KEY"]');
    expect(screen.getByText(/requires the client API key/)).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'curl' }));
    expect(screen.getByLabelText('curl snippet')).toHaveTextContent('Authorization: Bearer $SWITCHYARD_API_KEY');
  });
});
