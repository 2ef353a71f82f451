import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigFileError, configPathFrom, loadConfig, parseConfig } from './config-file';

const env = { GROQ_WORK_KEY: 'gsk_work', CF_TOKEN: 'cf-token', CF_ACCOUNT: 'acc1', AZ_KEY: 'az-key' };

function problems(source: string, vars: Record<string, string | undefined> = env): string[] {
  try {
    parseConfig(source, 'sy.yaml', vars);
  } catch (error) {
    if (error instanceof ConfigFileError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigFileError');
}

describe('parseConfig: the DESIGN.md example', () => {
  const yaml = [
    'accounts:',
    '  - id: groq-work                # the account id',
    '    provider: groq',
    '    key: ${GROQ_WORK_KEY}',
    '    quota_group: acme',
    '  - id: cf',
    '    provider: cloudflare',
    '    key: ${CF_TOKEN}',
    '    account_id: ${CF_ACCOUNT}',
    '  - id: az',
    '    provider: azure',
    '    key: ${AZ_KEY}',
    '    endpoint: https://acme.openai.azure.com/',
    '  - id: local',
    '    provider: openai-compatible',
    '    key: ${GROQ_WORK_KEY}',
    '    base_url: http://127.0.0.1:8080/v1',
    'routes:',
    '  llama-3.3-70b:',
    '    - groq/llama-3.3-70b-versatile',
    '    - cerebras/llama-3.3-70b',
    '    - openrouter/meta-llama/llama-3.3-70b-instruct:free',
  ].join('\n');

  it('reads accounts with ${VAR} keys, the base URLs in effect, and routes', () => {
    const config = parseConfig(yaml, 'sy.yaml', { ...env, GROQ_BASE_URL: 'http://127.0.0.1:4100/openai/v1' });
    expect(config.warnings).toEqual([]);
    expect(config.accounts).toEqual([
      { id: 'groq-work', provider: 'groq', key: 'gsk_work', baseUrl: 'http://127.0.0.1:4100/openai/v1', quotaGroup: 'acme' },
      { id: 'cf', provider: 'cloudflare', key: 'cf-token', baseUrl: 'https://api.cloudflare.com/client/v4', accountId: 'acc1' },
      { id: 'az', provider: 'azure', key: 'az-key', baseUrl: 'https://acme.openai.azure.com/openai/v1', endpoint: 'https://acme.openai.azure.com' },
      { id: 'local', provider: 'openai-compatible', key: 'gsk_work', baseUrl: 'http://127.0.0.1:8080/v1' },
    ]);
    expect(config.routes).toEqual({
      'llama-3.3-70b': [
        { provider: 'groq', model: 'llama-3.3-70b-versatile' },
        { provider: 'cerebras', model: 'llama-3.3-70b' },
        { provider: 'openrouter', model: 'meta-llama/llama-3.3-70b-instruct:free' },
      ],
    });
  });

  it('reads the same in JSON', () => {
    const json = JSON.stringify({ accounts: [{ id: 'g', provider: 'gemini', key: '${GROQ_WORK_KEY}' }], routes: { fast: ['gemini/gemini-2.5-flash'] } }, null, 2);
    const config = parseConfig(json, 'sy.json', env);
    expect(config.accounts).toEqual([{ id: 'g', provider: 'gemini', key: 'gsk_work', baseUrl: 'https://generativelanguage.googleapis.com/v1beta/openai' }]);
    expect(config.routes.fast).toEqual([{ provider: 'gemini', model: 'gemini-2.5-flash' }]);
  });

  it('reads redis_url (with ${VAR}, so a password stays in the environment) and the redis: block for the shared quota store', () => {
    const config = parseConfig('redis_url: redis://:${REDIS_PASS}@10.0.0.9:6379/0\nredis:\n  key_prefix: team-a\n  cache_ms: 100\n', 'sy.yaml', { ...env, REDIS_PASS: 's3cret' });
    expect(config.quotaStore).toEqual({ redis_url: 'redis://:s3cret@10.0.0.9:6379/0', redis: { key_prefix: 'team-a', cache_ms: 100 } });
    expect(problems('redis_url: redis://:${NOPE}@h:6379\n')).toEqual(['sy.yaml:1: redis_url: ${NOPE} is not set in the environment']);
    expect(problems('redis: fast\n')).toEqual(['sy.yaml:1: redis: must be a mapping of Redis settings']);
  });

  it('an empty file is an empty config', () => {
    expect(parseConfig('', 'sy.yaml', env)).toEqual({ file: 'sy.yaml', accounts: [], routes: {}, warnings: [] });
  });
});

describe('parseConfig: warnings and errors name the line and the field', () => {
  it('a literal key is accepted with a warning that does not show it', () => {
    const config = parseConfig('accounts:\n  - id: g\n    provider: groq\n    key: gsk_literal_secret\n', 'sy.yaml', env);
    expect(config.accounts[0]!.key).toBe('gsk_literal_secret');
    expect(config.warnings).toEqual(["sy.yaml:4: accounts[0].key: the key of 'g' is written in the file itself; prefer key: ${VAR} so it stays in the environment"]);
    expect(config.warnings.join('')).not.toContain('gsk_literal_secret');
  });

  it('an unknown provider, a missing key, an unknown field', () => {
    expect(problems('accounts:\n  - id: g\n    provider: grok\n    key: k\n  - id: h\n    provider: groq\n  - id: i\n    provider: groq\n    key: k\n    quota-group: x\n')).toEqual([
      "sy.yaml:3: accounts[0].provider: 'grok' is not a provider; use one of github, groq, gemini, cerebras, openrouter, mistral, cloudflare, openai, azure, nvidia, openai-compatible",
      'sy.yaml:5: accounts[1].key: is required',
      "sy.yaml:10: accounts[2].quota-group: unknown field 'quota-group' (known: id, provider, key, base_url, account_id, endpoint, quota_group)",
    ]);
  });

  it('an unset ${VAR}, a duplicate id, a provider\'s missing extra, a bad URL', () => {
    const source = [
      'accounts:',
      '  - id: a',
      '    provider: groq',
      '    key: ${NOPE}',
      '  - id: a',
      '    provider: cloudflare',
      '    key: ${CF_TOKEN}',
      '  - id: c',
      '    provider: openai',
      '    key: ${AZ_KEY}',
      '    base_url: not a url',
      '    account_id: x',
    ].join('\n');
    expect(problems(source)).toEqual([
      'sy.yaml:4: accounts[0].key: ${NOPE} is not set in the environment',
      "sy.yaml:5: accounts[1].id: 'a' is already the id of accounts[0]; ids are unique",
      'sy.yaml:5: accounts[1]: provider cloudflare needs account_id (the Cloudflare account id)',
      'sy.yaml:12: accounts[2].account_id: is only for provider cloudflare',
      "sy.yaml:11: accounts[2].base_url: 'not a url' is not an http(s) URL",
    ]);
  });

  it('an id the environment already uses is refused', () => {
    expect(() => parseConfig('accounts:\n  - id: GROQ_API_KEY\n    provider: groq\n    key: ${GROQ_WORK_KEY}\n', 'sy.yaml', env, { takenIds: ['GROQ_API_KEY'] })).toThrow(
      "sy.yaml:2: accounts[0].id: 'GROQ_API_KEY' is already an account from the environment; ids are unique",
    );
  });

  it('openai-compatible needs base_url; azure needs endpoint', () => {
    expect(problems('accounts:\n  - id: x\n    provider: openai-compatible\n    key: ${AZ_KEY}\n  - id: y\n    provider: azure\n    key: ${AZ_KEY}\n')).toEqual([
      'sy.yaml:2: accounts[0]: provider openai-compatible needs base_url',
      'sy.yaml:5: accounts[1]: provider azure needs endpoint (https://{resource}.openai.azure.com)',
    ]);
  });

  it('routes: targets are {provider}/{model} of a known provider; a route lists at least one', () => {
    expect(problems('routes:\n  fast:\n    - llama\n  slow: []\n')).toEqual([
      'sy.yaml:3: routes.fast[0]: must be "{provider}/{model}", e.g. groq/llama-3.3-70b-versatile',
      'sy.yaml:4: routes.slow: must list at least one target',
    ]);
    expect(problems('routes:\n  fast:\n    - grok/llama\n')).toEqual([
      "sy.yaml:3: routes.fast[0]: 'grok' in 'grok/llama' is not a provider; use one of github, groq, gemini, cerebras, openrouter, mistral, cloudflare, openai, azure, nvidia, openai-compatible",
    ]);
  });

  it('YAML syntax errors and unknown top-level fields name their line', () => {
    expect(problems('accounts:\n  - id: a\n   provider: x: y\n')[0]).toMatch(/^sy\.yaml:3: /);
    expect(problems('acounts: []\n')).toEqual(["sy.yaml:1: acounts: unknown field 'acounts' (known: accounts, routes, redis_url, redis)"]);
    expect(problems('accounts: 5\n')).toEqual(['sy.yaml:1: accounts: must be a list of accounts']);
    expect(problems('accounts:\n  - 5\n')).toEqual(['sy.yaml:2: accounts[0]: must be an account (id, provider, key, …)']);
    expect(problems('[1, 2]')).toEqual(['sy.yaml:1: the file must be a mapping with accounts: and routes:']);
    expect(problems('accounts:\n  - id: a\n    id: b\n')).toEqual(['sy.yaml:3: Map keys must be unique']);
  });
});

describe('loadConfig and configPathFrom', () => {
  let dir: string | null = null;
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('reads a file; a missing one is a clear error', async () => {
    dir = await mkdtemp(join(tmpdir(), 'sy-config-'));
    const file = join(dir, 'switchyard.yaml');
    await writeFile(file, 'accounts:\n  - id: g\n    provider: groq\n    key: ${GROQ_WORK_KEY}\n');
    expect((await loadConfig(file, env)).accounts.map((account) => account.id)).toEqual(['g']);
    await expect(loadConfig(join(dir, 'nope.yaml'), env)).rejects.toThrow(/nope\.yaml: no such file/);
  });

  it('--config FILE, --config=FILE, then SWITCHYARD_CONFIG', () => {
    expect(configPathFrom(['serve', '--config', 'a.yaml'], { SWITCHYARD_CONFIG: 'b.yaml' })).toBe('a.yaml');
    expect(configPathFrom(['serve', '--config=c.json'], {})).toBe('c.json');
    expect(configPathFrom(['serve'], { SWITCHYARD_CONFIG: 'b.yaml' })).toBe('b.yaml');
    expect(configPathFrom(['serve'], {})).toBeNull();
    expect(() => configPathFrom(['serve', '--config'], {})).toThrow(/needs a file name/);
    expect(() => configPathFrom(['serve', '--config', '--port'], {})).toThrow(/needs a file name/);
  });
});
