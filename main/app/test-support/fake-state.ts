import { randomBytes } from 'node:crypto';

/** Knobs of the electron fake that tests turn (reset by resetElectronFake). */
export const fakeState = {
  singleInstanceLock: true,
  paths: {} as Record<string, string>,
  notificationsSupported: true,
  encryptionAvailable: true,
  storageBackend: 'gnome_libsecret' as string,
  shouldReEncrypt: false,
  dialogResponse: 0,
  key: randomBytes(32),
};
