import { Notification, app } from 'electron';
import type { Engine } from '../core/engine-types';
import type { Settings } from '../../shared/settings';
import { APP_ID } from './identity';
import { NotificationPolicy, type NotificationText } from './notification-policy';

/** Desktop notifications from engine events, through NotificationPolicy. */

/** Some platforms never emit 'close': keep at most this many references. */
const MAX_LIVE = 20;

export interface NotificationsDeps {
  engine: Pick<Engine, 'onEvent' | 'snapshot'>;
  /** The current settings (toggles and default cooldown). */
  settings: () => Settings;
  platform?: NodeJS.Platform;
  now?: () => number;
  timeZone?: string;
  onClick?: (text: NotificationText) => void;
}

export function setupNotifications(deps: NotificationsDeps): () => void {
  // Windows shows notifications only for an app with an AppUserModelID matching its shortcut.
  if ((deps.platform ?? process.platform) === 'win32') app.setAppUserModelId(APP_ID);
  const policy = new NotificationPolicy();
  const now = deps.now ?? (() => Date.now());
  const live = new Set<Notification>(); // keep shown notifications referenced until closed

  const name = (key: string) => deps.engine.snapshot().accounts.find((a) => a.key === key)?.login ?? key;

  return deps.engine.onEvent((event) => {
    const settings = deps.settings();
    const text = policy.decide(event, {
      now: now(),
      toggles: settings.notifications,
      defaultCooldownMs: settings.defaultCooldownSeconds * 1000,
      name,
      timeZone: deps.timeZone,
    });
    if (!text || !Notification.isSupported()) return;
    const notification = new Notification({ title: text.title, body: text.body });
    live.add(notification);
    if (live.size > MAX_LIVE) live.delete(live.values().next().value!);
    notification.on('close', () => live.delete(notification));
    notification.on('click', () => {
      live.delete(notification);
      deps.onClick?.(text);
    });
    notification.show();
  });
}
