import '../test-support/setup';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { fakeApi } from '../test-support/fake-api';
import { AddAccountForm } from './AddAccountForm';

const TOKEN = 'gho_' + 'x'.repeat(36);

/** The form opens on Groq; these tests are about GitHub tokens (still addable, the provider retired). */
const chooseGithub = (user: ReturnType<typeof userEvent.setup>) => user.selectOptions(screen.getByLabelText('Provider'), 'github');

describe('AddAccountForm', () => {
  it('opens on a live provider (Groq), GitHub Models listed as retired', () => {
    render(<AddAccountForm api={fakeApi()} onAdded={vi.fn()} />);
    expect(screen.getByLabelText('Provider')).toHaveValue('groq');
    expect(screen.getByLabelText('Groq API key')).toHaveAttribute('type', 'password');
    expect(screen.getByRole('option', { name: 'GitHub Models (retired)' })).toBeInTheDocument();
    expect(screen.queryByLabelText('GitHub token')).toBeNull();
  });

  it('takes the token in a password field', async () => {
    render(<AddAccountForm api={fakeApi()} onAdded={vi.fn()} />);
    await chooseGithub(userEvent.setup());
    expect(screen.getByLabelText('GitHub token')).toHaveAttribute('type', 'password');
  });

  it('explains an empty token before sending anything', async () => {
    const api = fakeApi();
    const user = userEvent.setup();
    render(<AddAccountForm api={api} onAdded={vi.fn()} />);
    await chooseGithub(user);
    await user.click(screen.getByRole('button', { name: 'Add account' }));
    expect(screen.getByText('Paste a GitHub token first.')).toBeInTheDocument();
    expect(screen.getByLabelText('GitHub token')).toHaveAttribute('aria-invalid', 'true');
    expect(api.addAccount).not.toHaveBeenCalled();
  });

  it('adds the token with the chosen plan, clears the field and shows the login', async () => {
    const api = fakeApi();
    api.addAccount.mockResolvedValue({ ok: true, key: 'GITHUB_TOKEN2', login: 'bob', masked: 'gho_…xx' });
    const onAdded = vi.fn();
    const user = userEvent.setup();
    render(<AddAccountForm api={api} onAdded={onAdded} />);
    await chooseGithub(user);
    await user.type(screen.getByLabelText('GitHub token'), TOKEN);
    await user.selectOptions(screen.getByLabelText('Plan'), 'pro');
    await user.click(screen.getByRole('button', { name: 'Add account' }));
    expect(api.addAccount).toHaveBeenCalledWith({ token: TOKEN, plan: 'pro' });
    expect(screen.getByLabelText('GitHub token')).toHaveValue('');
    expect(await screen.findByText('Added GITHUB_TOKEN2: signed in as bob (gho_…xx).')).toBeInTheDocument();
    expect(onAdded).toHaveBeenCalledTimes(1);
    expect(document.body).not.toHaveTextContent(TOKEN);
  });

  it('refuses a second token of the same login with the engine’s explanation', async () => {
    const api = fakeApi();
    api.addAccount.mockResolvedValue({
      ok: false,
      code: 'duplicate_login',
      message: 'This token belongs to alice, who is already GITHUB_TOKEN.',
    });
    const onAdded = vi.fn();
    const user = userEvent.setup();
    render(<AddAccountForm api={api} onAdded={onAdded} />);
    await chooseGithub(user);
    await user.type(screen.getByLabelText('GitHub token'), TOKEN);
    await user.click(screen.getByRole('button', { name: 'Add account' }));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('This token belongs to alice, who is already GITHUB_TOKEN.');
    expect(alert).toHaveTextContent('a second token of the same user adds no quota');
    expect(screen.getByLabelText('GitHub token')).toHaveValue('');
    expect(onAdded).not.toHaveBeenCalled();
  });

  it('imports from the GitHub CLI and explains when it is missing', async () => {
    const api = fakeApi();
    const user = userEvent.setup();
    render(<AddAccountForm api={api} onAdded={vi.fn()} />);
    await chooseGithub(user);
    await user.click(screen.getByRole('button', { name: 'Import from GitHub CLI' }));
    expect(api.importFromGh).toHaveBeenCalledTimes(1);
    expect(await screen.findByRole('alert')).toHaveTextContent('The GitHub CLI (gh) is not installed.');
  });

  it('shows a failure to reach the engine in plain words', async () => {
    const api = fakeApi();
    api.addAccount.mockRejectedValue(new Error('Cannot reach Switchyard at http://127.0.0.1:4000.'));
    const user = userEvent.setup();
    render(<AddAccountForm api={api} onAdded={vi.fn()} />);
    await chooseGithub(user);
    await user.type(screen.getByLabelText('GitHub token'), TOKEN);
    await user.click(screen.getByRole('button', { name: 'Add account' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Cannot reach Switchyard');
  });

  it('says "already added" once, not again in a hint', async () => {
    const api = fakeApi();
    api.addAccount.mockResolvedValue({ ok: false, code: 'duplicate_token', message: 'This token is already added as GITHUB_TOKEN.' });
    const user = userEvent.setup();
    render(<AddAccountForm api={api} onAdded={vi.fn()} />);
    await chooseGithub(user);
    await user.type(screen.getByLabelText('GitHub token'), TOKEN);
    await user.click(screen.getByRole('button', { name: 'Add account' }));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent(/^This token is already added as GITHUB_TOKEN\.$/);
  });

  it('leaves out a hint that repeats the engine’s own explanation', async () => {
    const api = fakeApi();
    api.addAccount.mockResolvedValue({
      ok: false,
      code: 'duplicate_login',
      message: 'This token belongs to @alice, who is already added as GITHUB_TOKEN. GitHub counts limits per user, so a second token of the same user adds no quota. Add a token of a different GitHub account.',
    });
    const user = userEvent.setup();
    render(<AddAccountForm api={api} onAdded={vi.fn()} />);
    await chooseGithub(user);
    await user.type(screen.getByLabelText('GitHub token'), TOKEN);
    await user.click(screen.getByRole('button', { name: 'Add account' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent!.match(/adds no quota/g)).toHaveLength(1);
  });

  it('never keeps a stale error beside a newer one', async () => {
    const api = fakeApi();
    api.addAccount.mockResolvedValue({ ok: false, code: 'invalid_token', message: 'GitHub refused this token (Bad credentials).' });
    const user = userEvent.setup();
    render(<AddAccountForm api={api} onAdded={vi.fn()} />);
    await chooseGithub(user);
    await user.type(screen.getByLabelText('GitHub token'), TOKEN);
    await user.click(screen.getByRole('button', { name: 'Add account' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('GitHub refused this token');
    await user.click(screen.getByRole('button', { name: 'Add account' }));
    expect(screen.getByText('Paste a GitHub token first.')).toBeInTheDocument();
    expect(screen.queryByText(/GitHub refused this token/)).not.toBeInTheDocument();
    await user.type(screen.getByLabelText('GitHub token'), TOKEN);
    await user.click(screen.getByRole('button', { name: 'Add account' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('GitHub refused this token');
    await user.type(screen.getByLabelText('GitHub token'), 'x');
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });
});

describe('AddAccountForm: other providers', () => {
  it('lists every provider, GitHub Models marked retired, and says what the chosen one offers and where its keys come from', async () => {
    const user = userEvent.setup();
    render(<AddAccountForm api={fakeApi()} onAdded={vi.fn()} />);
    const picker = screen.getByLabelText('Provider');
    expect(screen.getByRole('option', { name: 'GitHub Models (retired)' })).toBeInTheDocument();
    expect(within(picker).getAllByRole('option')).toHaveLength(11);
    await user.selectOptions(picker, 'groq');
    expect(picker).toHaveAccessibleDescription(/A free tier per organisation and model/);
    expect(screen.getByRole('link', { name: 'https://console.groq.com/keys' })).toBeInTheDocument();
    expect(screen.getByLabelText('Groq API key')).toHaveAttribute('type', 'password');
    expect(screen.queryByLabelText('Plan')).toBeNull();
    expect(screen.queryByRole('button', { name: 'Import from GitHub CLI' })).toBeNull();
  });

  it('adds a Groq key with its provider and quota group', async () => {
    const api = fakeApi();
    api.addAccount.mockResolvedValue({ ok: true, key: 'GROQ_API_KEY', login: 'org_work', masked: 'gsk_…yz', note: 'GROQ_API_KEY belongs to org_work, like GROQ_API_KEY2: one quota, so GROQ_API_KEY adds no capacity and is kept as a spare.' });
    const user = userEvent.setup();
    render(<AddAccountForm api={api} onAdded={vi.fn()} />);
    await user.selectOptions(screen.getByLabelText('Provider'), 'groq');
    await user.type(screen.getByLabelText('Groq API key'), 'gsk_abcdefghijklmnop');
    await user.type(screen.getByLabelText('Quota group (optional)'), 'work');
    await user.click(screen.getByRole('button', { name: 'Add account' }));
    expect(api.addAccount).toHaveBeenCalledWith({ token: 'gsk_abcdefghijklmnop', provider: 'groq', quotaGroup: 'work' });
    expect(screen.getByLabelText('Groq API key')).toHaveValue('');
    expect(document.body).not.toHaveTextContent('gsk_abcdefghijklmnop');
    // An owner already present: added, and said to be a spare.
    expect(await screen.findByRole('status')).toHaveTextContent('kept as a spare');
  });

  it('asks for Cloudflare\'s account id before sending, then sends it', async () => {
    const api = fakeApi();
    const user = userEvent.setup();
    render(<AddAccountForm api={api} onAdded={vi.fn()} />);
    await user.selectOptions(screen.getByLabelText('Provider'), 'cloudflare');
    await user.type(screen.getByLabelText('Cloudflare Workers AI API key'), 'cf_token_123');
    await user.click(screen.getByRole('button', { name: 'Add account' }));
    expect(screen.getByText('Account id is needed for this provider.')).toBeInTheDocument();
    expect(api.addAccount).not.toHaveBeenCalled();
    expect(screen.getByLabelText('Cloudflare Workers AI API key')).toHaveValue('cf_token_123');
    await user.type(screen.getByLabelText('Account id'), 'abc123');
    await user.click(screen.getByRole('button', { name: 'Add account' }));
    expect(api.addAccount).toHaveBeenCalledWith({ token: 'cf_token_123', provider: 'cloudflare', accountId: 'abc123' });
  });

  it('an OpenAI-compatible endpoint needs an http(s) base URL', async () => {
    const api = fakeApi();
    const user = userEvent.setup();
    render(<AddAccountForm api={api} onAdded={vi.fn()} />);
    await user.selectOptions(screen.getByLabelText('Provider'), 'openai-compatible');
    await user.type(screen.getByLabelText('OpenAI-compatible endpoint API key'), 'local-key');
    await user.type(screen.getByLabelText('Base URL'), 'localhost:11434');
    await user.click(screen.getByRole('button', { name: 'Add account' }));
    expect(screen.getByText('Give an http:// or https:// address.')).toBeInTheDocument();
    expect(api.addAccount).not.toHaveBeenCalled();
  });

  it('an empty key is explained in the provider\'s name', async () => {
    const api = fakeApi();
    const user = userEvent.setup();
    render(<AddAccountForm api={api} onAdded={vi.fn()} />);
    await user.selectOptions(screen.getByLabelText('Provider'), 'mistral');
    await user.click(screen.getByRole('button', { name: 'Add account' }));
    expect(screen.getByText('Paste a Mistral key first.')).toBeInTheDocument();
    expect(api.addAccount).not.toHaveBeenCalled();
  });
});
