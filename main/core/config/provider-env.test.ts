import { describe, expect, it } from 'vitest';
import { providerFor } from '../providers/index';
import { resolveOwners } from '../providers/owners';
import { parseConfig } from './config-file';
import { readProviderEnv } from './provider-env';

describe('readProviderEnv', () => {
  it('PREFIX, PREFIX2, … per provider; the variable name is the account id; numeric order', () => {
    const { accounts, warnings } = readProviderEnv({
      GROQ_API_KEY10: 'gsk_10',
      GROQ_API_KEY2: 'gsk_2',
      GROQ_API_KEY: ' gsk_1 ',
      GEMINI_API_KEY: 'AIza1',
      GROQ_API_KEY_OLD: 'ignored',
      MISTRAL_API_KEY: '   ',
      PATH: '/bin',
    });
    expect(warnings).toEqual([]);
    expect(accounts).toEqual([
      { id: 'GROQ_API_KEY', provider: 'groq', key: 'gsk_1', baseUrl: 'https://api.groq.com/openai/v1' },
      { id: 'GROQ_API_KEY2', provider: 'groq', key: 'gsk_2', baseUrl: 'https://api.groq.com/openai/v1' },
      { id: 'GROQ_API_KEY10', provider: 'groq', key: 'gsk_10', baseUrl: 'https://api.groq.com/openai/v1' },
      { id: 'GEMINI_API_KEY', provider: 'gemini', key: 'AIza1', baseUrl: 'https://generativelanguage.googleapis.com/v1beta/openai' },
    ]);
  });

  it('base URL variables replace the default; a bad one warns and keeps the default', () => {
    const { accounts, warnings } = readProviderEnv({ CEREBRAS_API_KEY: 'c', CEREBRAS_BASE_URL: 'http://127.0.0.1:4100/v1/', NVIDIA_API_KEY: 'n', NVIDIA_BASE_URL: 'ftp://x' });
    expect(accounts.map((account) => [account.id, account.baseUrl])).toEqual([
      ['CEREBRAS_API_KEY', 'http://127.0.0.1:4100/v1'],
      ['NVIDIA_API_KEY', 'https://integrate.api.nvidia.com/v1'],
    ]);
    expect(warnings).toEqual(['NVIDIA_BASE_URL=ftp://x is not an http(s) URL; using https://integrate.api.nvidia.com/v1.']);
  });

  it('Cloudflare and Azure take the same-suffix extra variable; without it the account is left out and says why', () => {
    const { accounts, warnings } = readProviderEnv({
      CLOUDFLARE_API_TOKEN: 't1',
      CLOUDFLARE_ACCOUNT_ID: 'acc1',
      CLOUDFLARE_API_TOKEN2: 't2',
      AZURE_OPENAI_API_KEY3: 'az',
      AZURE_OPENAI_ENDPOINT3: 'https://acme.openai.azure.com/',
      CLOUDFLARE_BASE_URL: 'http://127.0.0.1:4200/client/v4',
    });
    expect(accounts).toEqual([
      { id: 'CLOUDFLARE_API_TOKEN', provider: 'cloudflare', key: 't1', baseUrl: 'http://127.0.0.1:4200/client/v4', accountId: 'acc1' },
      { id: 'AZURE_OPENAI_API_KEY3', provider: 'azure', key: 'az', baseUrl: 'https://acme.openai.azure.com/openai/v1', endpoint: 'https://acme.openai.azure.com' },
    ]);
    expect(warnings).toEqual(['CLOUDFLARE_API_TOKEN2 is set but CLOUDFLARE_ACCOUNT_ID2 is not; Cloudflare Workers AI needs both, so CLOUDFLARE_API_TOKEN2 is left out.']);
  });

  it('a bad Azure endpoint leaves the account out; the warning never shows the key', () => {
    const { accounts, warnings } = readProviderEnv({ AZURE_OPENAI_API_KEY: 'secret-azure-key', AZURE_OPENAI_ENDPOINT: 'acme' });
    expect(accounts).toEqual([]);
    expect(warnings).toEqual(['AZURE_OPENAI_ENDPOINT=acme is not an http(s) URL; AZURE_OPENAI_API_KEY is left out.']);
    expect(warnings.join(' ')).not.toContain('secret-azure-key');
  });

  it('GitHub keeps its names and both base URLs; openai-compatible takes its base URL with the same suffix', () => {
    const { accounts } = readProviderEnv({ GITHUB_TOKEN: 'gho_1', GITHUB_MODELS_BASE_URL: 'http://127.0.0.1:1', GITHUB_API_BASE_URL: 'http://127.0.0.1:2/', OPENAI_COMPATIBLE_API_KEY2: 'k', OPENAI_COMPATIBLE_BASE_URL2: 'http://127.0.0.1:8080/v1' });
    expect(accounts).toEqual([
      { id: 'GITHUB_TOKEN', provider: 'github', key: 'gho_1', baseUrl: 'http://127.0.0.1:1', apiBaseUrl: 'http://127.0.0.1:2' },
      { id: 'OPENAI_COMPATIBLE_API_KEY2', provider: 'openai-compatible', key: 'k', baseUrl: 'http://127.0.0.1:8080/v1' },
    ]);
  });
});

describe('accounts from the environment and the config file, through owners', () => {
  it('are credentials as descriptors take them, and the same key from both sources is refused', () => {
    const env = { GROQ_API_KEY: 'gsk_one', GROQ_API_KEY2: 'gsk_two', CF_TOKEN: 'cf', CLOUDFLARE_API_TOKEN: 'cf', CLOUDFLARE_ACCOUNT_ID: 'acc1' };
    const fromEnv = readProviderEnv(env).accounts;
    const fromFile = parseConfig('accounts:\n  - id: groq-dup\n    provider: groq\n    key: ${GROQ_API_KEY}\n  - id: cf-2\n    provider: cloudflare\n    key: ${CF_TOKEN}\n    account_id: acc1\n', 'sy.yaml', env).accounts;
    const all = [...fromEnv, ...fromFile];
    const request = providerFor(all[2]!.provider).buildRequest('chat', all[2]!, { model: 'm' });
    expect(request.url).toBe('https://api.cloudflare.com/client/v4/accounts/acc1/ai/v1/chat/completions');
    const owners = resolveOwners(all);
    expect(owners.refused.map((account) => [account.id, account.duplicateOf])).toEqual([
      ['groq-dup', 'GROQ_API_KEY'],
      ['cf-2', 'CLOUDFLARE_API_TOKEN'],
    ]);
    expect(owners.accounts.map((account) => account.id)).toEqual(['GROQ_API_KEY', 'GROQ_API_KEY2', 'CLOUDFLARE_API_TOKEN']);
  });
});
