import { describe, expect, it } from 'vitest';
import { accountProvider, accountSettingsSchema, defaultSettings, settingsPatchSchema, settingsSchema } from './settings';

describe('settings', () => {
  it('fills every default', () => {
    expect(defaultSettings()).toMatchObject({ host: '127.0.0.1', port: 4000, strategy: 'sticky', maxWaitMs: 20_000, throttling: { enabled: false, minIntervalMs: 2000 } });
  });

  it('cuts streams after 30 minutes by default, and keeps the limit at a second or more', () => {
    expect(defaultSettings().timeouts.maxStreamMs).toBe(1_800_000);
    expect(settingsPatchSchema.parse({ timeouts: { maxStreamMs: 5_000 } })).toEqual({ timeouts: { maxStreamMs: 5_000 } });
    expect(settingsPatchSchema.safeParse({ timeouts: { maxStreamMs: 10 } }).success).toBe(false);
  });

  it('parses a patch without inventing the fields it leaves out', () => {
    expect(settingsPatchSchema.parse({ port: 5000 })).toEqual({ port: 5000 });
    expect(settingsPatchSchema.parse({ notifications: { rotation: false } })).toEqual({ notifications: { rotation: false } });
    expect(settingsPatchSchema.parse({ apiKey: null })).toEqual({ apiKey: null });
  });

  it('refuses unknown fields, wrong types and out-of-range values in a patch', () => {
    expect(settingsPatchSchema.safeParse({ bogus: 1 }).success).toBe(false);
    expect(settingsPatchSchema.safeParse({ throttling: { enabled: 'yes' } }).success).toBe(false);
    expect(settingsPatchSchema.safeParse({ port: 70_000 }).success).toBe(false);
    expect(settingsPatchSchema.safeParse({ accounts: [] }).success).toBe(false);
  });

  it('accepts a whole valid settings object as a patch, minus the version and accounts', () => {
    const { schemaVersion: _v, accounts: _a, ...rest } = settingsSchema.parse({});
    expect(settingsPatchSchema.parse(rest)).toEqual(rest);
  });
});

describe('account settings of any provider', () => {
  it('reads a saved account from before providers as GitHub', () => {
    const saved = accountSettingsSchema.parse({ key: 'GITHUB_TOKEN' });
    expect(saved).toEqual({ key: 'GITHUB_TOKEN', plan: 'free', disabled: false });
    expect(accountProvider(saved)).toBe('github');
    expect(accountProvider(accountSettingsSchema.parse({ key: 'G', provider: 'groq' }))).toBe('groq');
  });

  it('keeps the provider and its fields, and refuses an unknown provider', () => {
    expect(accountSettingsSchema.parse({ key: 'CF', provider: 'cloudflare', accountId: 'acc1', quotaGroup: 'team' })).toMatchObject({ provider: 'cloudflare', accountId: 'acc1', quotaGroup: 'team' });
    expect(accountSettingsSchema.parse({ key: 'LOCAL', provider: 'openai-compatible', baseUrl: 'http://localhost:11434/v1/' }).baseUrl).toBe('http://localhost:11434/v1');
    expect(accountSettingsSchema.safeParse({ key: 'X', provider: 'acme' }).success).toBe(false);
    expect(accountSettingsSchema.safeParse({ key: 'X', provider: 'azure', endpoint: 'not a url' }).success).toBe(false);
  });
});
