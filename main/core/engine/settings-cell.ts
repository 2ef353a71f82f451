import type { Logger } from 'pino';
import { defaultSettings, settingsSchema, type Settings, type SettingsPatch } from '../../../shared/settings';
import { ProxyError } from '../errors';
import type { SettingsStore } from '../state/types';

/**
 * The settings of one run: what is saved (`stored`, what the Settings form edits) and what is in
 * effect (`effective`: stored, then the environment's and the command line's overrides on top).
 * Every change is a read-modify-write of the latest saved settings, one at a time, and durable
 * before it resolves (acknowledged = on disk), then in effect. Serialized so that an account added
 * while a setting is saved can never write back a stale copy of the other.
 */
export class SettingsCell {
  stored: Settings = defaultSettings();
  effective: Settings = defaultSettings();
  private store: SettingsStore | null = null;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly layer: (settings: Settings) => Settings) {
    this.effective = layer(this.stored);
  }

  async load(store: SettingsStore, logger: Logger): Promise<void> {
    this.store = store;
    const loaded = await store.load();
    if (loaded.status === 'corrupt') logger.error({ tag: 'state', file: loaded.setAsidePath }, `Settings were unreadable (${loaded.error}); set aside, starting from defaults.`);
    this.stored = loaded.status === 'ok' ? loaded.value : defaultSettings();
    this.effective = this.layer(this.stored);
  }

  change(change: (current: Settings) => Settings): Promise<void> {
    const run = this.queue.then(async () => {
      if (!this.store) throw new Error('The engine has not started yet.');
      const next = change(this.stored);
      await this.store.save(next);
      this.stored = next;
      this.effective = this.layer(next);
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** A patch from the Settings form or the admin API, validated whole; a refused patch changes nothing. */
  patch(patch: SettingsPatch): Promise<void> {
    return this.change((current) => {
      const parsed = settingsSchema.safeParse({
        ...current,
        ...patch,
        throttling: { ...current.throttling, ...patch.throttling },
        inboundRateLimit: { ...current.inboundRateLimit, ...patch.inboundRateLimit },
        timeouts: { ...current.timeouts, ...patch.timeouts },
        notifications: { ...current.notifications, ...patch.notifications },
      });
      if (parsed.success) return parsed.data;
      const issue = parsed.error.issues[0];
      throw new ProxyError(400, 'invalid_request_error', `Invalid setting ${issue?.path.join('.')}: ${issue?.message}`, { code: 'invalid_setting', param: issue?.path.join('.') ?? null });
    });
  }
}
