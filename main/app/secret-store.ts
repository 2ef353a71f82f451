import type { SafeStorage } from 'electron';
import type { SecretStore } from '../core/state/types';
import { openElectronStore, type KeyValueStore } from './kv-store';

/**
 * Tokens by account key, encrypted with safeStorage's async API; the ciphertext (base64) lives in
 * electron-store (`secrets.json`, mode 0600). On Linux with the `basic_text` backend (no keyring,
 * a hard-coded key) tokens stay in memory for this run unless the user opts in, as Element does.
 */

export type SecretPersistence =
  | 'encrypted'
  | 'basic-text'
  /** Linux without a keyring, no opt-in: memory only. */
  | 'memory-no-keyring'
  /** safeStorage cannot encrypt at all: memory only. */
  | 'memory-no-encryption';

type Storage = Pick<
  SafeStorage,
  'encryptStringAsync' | 'decryptStringAsync' | 'isAsyncEncryptionAvailable' | 'getSelectedStorageBackend'
>;

export interface SecretStoreDeps {
  kv: KeyValueStore;
  safeStorage: Storage;
  platform?: NodeJS.Platform;
  /** Opt-in from the command line or environment; the stored opt-in counts too. */
  allowBasicText?: boolean;
  warn?: (message: string) => void;
}

const TOKENS = 'tokens';
const OPT_IN = 'allowBasicTextBackend';
export const SECRETS_STORE_NAME = 'secrets';

function backendWords(platform: NodeJS.Platform, backend: string): string {
  if (platform === 'darwin') return 'the macOS Keychain';
  if (platform === 'win32') return 'Windows (DPAPI)';
  if (backend === 'gnome_libsecret') return 'the Secret Service keyring';
  if (backend.startsWith('kwallet')) return 'KWallet';
  return 'the system keyring';
}

export class DesktopSecretStore implements SecretStore {
  private memory: Record<string, string> = {};
  private mode: SecretPersistence | null = null;
  private backend = 'unknown';
  private undecryptable = 0;
  private readonly platform: NodeJS.Platform;

  constructor(private readonly deps: SecretStoreDeps) {
    this.platform = deps.platform ?? process.platform;
  }

  async load(): Promise<Record<string, string>> {
    const mode = await this.resolveMode();
    const stored = this.storedCiphertexts();
    const out: Record<string, string> = {};
    let reEncrypt = false;
    this.undecryptable = 0;
    for (const [key, b64] of Object.entries(stored)) {
      try {
        const { result, shouldReEncrypt } = await this.deps.safeStorage.decryptStringAsync(Buffer.from(b64, 'base64'));
        out[key] = result;
        reEncrypt ||= shouldReEncrypt;
      } catch {
        this.undecryptable += 1;
        this.deps.warn?.(`The token of ${key} could not be decrypted; add it again.`);
      }
    }
    this.memory = { ...out };
    if (reEncrypt && this.persists(mode)) await this.persist();
    return out;
  }

  async save(secrets: Record<string, string>): Promise<void> {
    await this.resolveMode();
    this.memory = { ...secrets };
    await this.persist();
  }

  describe(): string {
    const lost = this.undecryptable
      ? ` ${this.undecryptable} stored token${this.undecryptable === 1 ? '' : 's'} could not be decrypted and must be added again.`
      : '';
    switch (this.mode) {
      case null:
        return 'Checking how tokens can be stored…';
      case 'encrypted':
        return `Tokens are encrypted with ${backendWords(this.platform, this.backend)} and stored in ${this.deps.kv.path}.${lost}`;
      case 'basic-text':
        return `Tokens are stored with basic encryption only: this system has no keyring (Electron's basic_text backend), so anyone who can read ${this.deps.kv.path} can recover them. You chose to keep them anyway.${lost}`;
      case 'memory-no-keyring':
        return 'This system has no keyring (basic_text backend): tokens are kept in memory for this run only and must be added again after a restart. Choose "Keep Tokens Without a Keyring…" in the tray menu to store them with basic encryption.';
      case 'memory-no-encryption':
        return 'Encryption is not available on this system: tokens are kept in memory for this run only and must be added again after a restart.';
    }
  }

  persistence(): SecretPersistence | null {
    return this.mode;
  }

  /** True when tokens are kept for this run only because there is no keyring (an opt-in can change that). */
  canOptInToBasicText(): boolean {
    return this.mode === 'memory-no-keyring';
  }

  /** The user accepted basic_text: remember the choice and store the tokens now. */
  async allowBasicText(): Promise<void> {
    this.deps.kv.set(OPT_IN, true);
    this.mode = null;
    await this.resolveMode();
    await this.persist();
  }

  /** Every token currently held, for redacting anything bound for the renderer. */
  knownSecrets(): string[] {
    return Object.values(this.memory);
  }

  private async resolveMode(): Promise<SecretPersistence> {
    if (this.mode) return this.mode;
    const available = await this.deps.safeStorage.isAsyncEncryptionAvailable().catch(() => false);
    if (!available) {
      this.mode = 'memory-no-encryption';
    } else if (this.platform === 'linux') {
      this.backend = this.deps.safeStorage.getSelectedStorageBackend();
      const optedIn = this.deps.allowBasicText === true || this.deps.kv.get(OPT_IN) === true;
      this.mode = this.backend === 'basic_text' ? (optedIn ? 'basic-text' : 'memory-no-keyring') : 'encrypted';
    } else {
      this.mode = 'encrypted';
    }
    if (!this.persists(this.mode)) this.deps.warn?.(this.describe());
    return this.mode;
  }

  private persists(mode: SecretPersistence): boolean {
    return mode === 'encrypted' || mode === 'basic-text';
  }

  private storedCiphertexts(): Record<string, string> {
    const raw = this.deps.kv.get(TOKENS);
    if (!raw || typeof raw !== 'object') return {};
    return Object.fromEntries(Object.entries(raw).filter((e): e is [string, string] => typeof e[1] === 'string'));
  }

  private async persist(): Promise<void> {
    if (!this.mode || !this.persists(this.mode)) {
      // Never leave tokens on disk in a mode that must not keep them.
      if (this.deps.kv.has(TOKENS)) this.deps.kv.delete(TOKENS);
      return;
    }
    const encrypted: Record<string, string> = {};
    for (const [key, token] of Object.entries(this.memory)) {
      encrypted[key] = (await this.deps.safeStorage.encryptStringAsync(token)).toString('base64');
    }
    this.deps.kv.set(TOKENS, encrypted);
  }
}

export async function openSecretStore(
  deps: Omit<SecretStoreDeps, 'kv'> & { userDataDir: string },
): Promise<DesktopSecretStore> {
  const { userDataDir, ...rest } = deps;
  const opened = await openElectronStore({ name: SECRETS_STORE_NAME, cwd: userDataDir });
  if (opened.setAsidePath) rest.warn?.(`The secrets file was unreadable and was moved to ${opened.setAsidePath}.`);
  return new DesktopSecretStore({ ...rest, kv: opened.store });
}
