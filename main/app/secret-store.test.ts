import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as fake from './test-support/electron-fake';
import { DesktopSecretStore, SECRETS_STORE_NAME, type SecretStoreDeps } from './secret-store';
import { confStore, tempDir } from './test-support/temp-conf';

const TOKENS = { GITHUB_TOKEN: 'gho_16C7e42F292c6912E7710c838347Ae178B4aXq', GITHUB_TOKEN2: 'github_pat_11ABCDEFG0123456789_zyx4d9U' };

let dir: string;
let cleanup: () => void;
const file = () => join(dir, `${SECRETS_STORE_NAME}.json`);
const onDisk = () => (existsSync(file()) ? readFileSync(file(), 'utf8') : '{}');
const warnings: string[] = [];
const open = (over: Partial<SecretStoreDeps> = {}) =>
  new DesktopSecretStore({
    kv: confStore({ name: SECRETS_STORE_NAME, cwd: dir }),
    safeStorage: fake.safeStorage as unknown as SecretStoreDeps['safeStorage'],
    platform: 'linux',
    warn: (m) => void warnings.push(m),
    ...over,
  });

function expectNoPlaintext(text: string) {
  for (const token of Object.values(TOKENS)) {
    expect(text).not.toContain(token);
    expect(text).not.toContain(Buffer.from(token).toString('base64'));
    expect(text).not.toContain(token.slice(4, 20));
  }
}

describe('desktop secret store', () => {
  beforeEach(() => {
    fake.resetElectronFake();
    ({ dir, cleanup } = tempDir());
    warnings.length = 0;
  });
  afterEach(() => cleanup());

  it('encrypts tokens at rest and reads them back', async () => {
    await open().save(TOKENS);
    const stored = JSON.parse(onDisk()).tokens;
    expect(Object.keys(stored).sort()).toEqual(['GITHUB_TOKEN', 'GITHUB_TOKEN2']);
    expectNoPlaintext(onDisk());
    const again = open();
    expect(await again.load()).toEqual(TOKENS);
    expect(again.persistence()).toBe('encrypted');
    expect(again.describe()).toBe(`Tokens are encrypted with the Secret Service keyring and stored in ${file()}.`);
    expect(warnings).toEqual([]);
  });

  it('re-encrypts when safeStorage asks for it', async () => {
    await open().save(TOKENS);
    const before = JSON.parse(onDisk()).tokens.GITHUB_TOKEN;
    fake.fakeState.shouldReEncrypt = true;
    expect(await open().load()).toEqual(TOKENS);
    const after = JSON.parse(onDisk()).tokens.GITHUB_TOKEN;
    expect(after).not.toBe(before);
    fake.fakeState.shouldReEncrypt = false;
    expect(await open().load()).toEqual(TOKENS);
  });

  it('Linux basic_text without opt-in: warns, keeps tokens in memory only', async () => {
    fake.fakeState.storageBackend = 'basic_text';
    const store = open();
    expect(await store.load()).toEqual({});
    await store.save(TOKENS);
    expect(JSON.parse(onDisk()).tokens).toBeUndefined();
    expectNoPlaintext(onDisk());
    expect(store.knownSecrets().sort()).toEqual(Object.values(TOKENS).sort());
    expect(store.persistence()).toBe('memory-no-keyring');
    expect(store.canOptInToBasicText()).toBe(true);
    expect(store.describe()).toContain('kept in memory for this run only');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('basic_text');
    expect(await open().load()).toEqual({});
  });

  it('Linux basic_text after the user opts in: stores them (still not in plain text) and says so', async () => {
    fake.fakeState.storageBackend = 'basic_text';
    const store = open();
    await store.save(TOKENS);
    await store.allowBasicText();
    expect(store.persistence()).toBe('basic-text');
    expect(store.canOptInToBasicText()).toBe(false);
    expect(store.describe()).toContain('basic encryption only');
    expectNoPlaintext(onDisk());
    const again = open();
    expect(await again.load()).toEqual(TOKENS);
    expect(again.persistence()).toBe('basic-text');
  });

  it('the opt-in can come from the command line', async () => {
    fake.fakeState.storageBackend = 'basic_text';
    await open({ allowBasicText: true }).save(TOKENS);
    expect(await open({ allowBasicText: true }).load()).toEqual(TOKENS);
  });

  it('the basic_text backend only matters on Linux', async () => {
    fake.fakeState.storageBackend = 'basic_text';
    const store = open({ platform: 'darwin' });
    await store.save(TOKENS);
    expect(store.persistence()).toBe('encrypted');
    expect(store.describe()).toContain('macOS Keychain');
  });

  it('without any encryption: memory only, nothing on disk', async () => {
    fake.fakeState.encryptionAvailable = false;
    const store = open();
    await store.save(TOKENS);
    expect(store.persistence()).toBe('memory-no-encryption');
    expect(JSON.parse(onDisk()).tokens).toBeUndefined();
  });

  it('a token that can no longer be decrypted is dropped and reported, never logged', async () => {
    await open().save(TOKENS);
    fake.fakeState.key = randomBytes(32);
    const store = open();
    expect(await store.load()).toEqual({});
    expect(store.describe()).toContain('2 stored tokens could not be decrypted');
    expect(warnings.join('\n')).toContain('GITHUB_TOKEN');
    for (const t of Object.values(TOKENS)) expect(warnings.join('\n')).not.toContain(t);
  });

  it('a removed account is removed from disk on the next save', async () => {
    const store = open();
    await store.save(TOKENS);
    await store.save({ GITHUB_TOKEN: TOKENS.GITHUB_TOKEN });
    expect(Object.keys(JSON.parse(onDisk()).tokens)).toEqual(['GITHUB_TOKEN']);
  });
});
