import { Menu, Tray, nativeImage, type MenuItemConstructorOptions } from 'electron';
import type { Engine } from '../core/engine-types';
import type { Snapshot } from '../../shared/snapshot';
import { buildTrayMenu, type TrayAction, type TrayMenuItem } from './tray-menu';
import { hasCountdown, type TrayIconState } from './snapshot-health';

/**
 * The tray controller: applies buildTrayMenu to every snapshot (a fresh menu set each time the
 * visible result changes — never edited in place), refreshes countdowns once a minute while
 * something is blocked and runs no timer otherwise. Everything is a no-op after destroy().
 */

export type TrayHandler = (target: { account?: string }) => void | Promise<void>;
export type TrayHandlers = Record<TrayAction, TrayHandler>;

export const COUNTDOWN_REFRESH_MS = 60_000;

export interface TrayDeps {
  engine: Pick<Engine, 'snapshot' | 'onSnapshot'>;
  handlers: TrayHandlers;
  iconPath: (state: TrayIconState) => string;
  launchAtLogin: () => boolean;
  offerKeepTokensOnDisk?: () => boolean;
  now?: () => number;
  timeZone?: string;
  onError?: (error: unknown, action: TrayAction) => void;
  /** A plain (left) click on the icon; on Windows it opens the window, elsewhere the menu opens by itself. */
  onClick?: () => void;
}

export function toElectronTemplate(
  items: TrayMenuItem[],
  handlers: TrayHandlers,
  onError: (error: unknown, action: TrayAction) => void,
): MenuItemConstructorOptions[] {
  return items.map((item) => {
    const out: MenuItemConstructorOptions = {};
    if (item.type) out.type = item.type;
    if (item.label !== undefined) out.label = item.label;
    if (item.enabled !== undefined) out.enabled = item.enabled;
    if (item.checked !== undefined) out.checked = item.checked;
    if (item.submenu) out.submenu = toElectronTemplate(item.submenu, handlers, onError);
    const action = item.action;
    if (action) {
      out.click = () => {
        try {
          const result = handlers[action](item.account === undefined ? {} : { account: item.account });
          if (result) result.catch((error: unknown) => onError(error, action));
        } catch (error) {
          onError(error, action);
        }
      };
    }
    return out;
  });
}

export class TrayController {
  private readonly tray: Tray;
  private latest: Snapshot;
  private lastRendered = '';
  private lastIcon: TrayIconState | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private destroyed = false;
  private readonly unsubscribe: () => void;
  private readonly now: () => number;

  constructor(private readonly deps: TrayDeps) {
    this.now = deps.now ?? (() => Date.now());
    this.latest = deps.engine.snapshot();
    const first = buildTrayMenu(this.latest, this.options());
    this.tray = new Tray(nativeImage.createFromPath(deps.iconPath(first.icon)));
    this.lastIcon = first.icon;
    if (deps.onClick) this.tray.on('click', () => (this.destroyed ? undefined : deps.onClick?.()));
    this.unsubscribe = deps.engine.onSnapshot((s) => this.update(s));
    this.render();
  }

  update(snapshot: Snapshot): void {
    if (this.destroyed) return;
    this.latest = snapshot;
    this.render();
  }

  /** Re-render from the last snapshot (e.g. Launch at Login changed). */
  refresh(): void {
    if (this.destroyed) return;
    this.render();
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.clearTimer();
    this.unsubscribe();
    this.tray.destroy();
  }

  private options() {
    return {
      now: this.now(),
      launchAtLogin: this.deps.launchAtLogin(),
      offerKeepTokensOnDisk: this.deps.offerKeepTokensOnDisk?.() ?? false,
      timeZone: this.deps.timeZone,
    };
  }

  private render(): void {
    const options = this.options();
    const model = buildTrayMenu(this.latest, options);
    const rendered = JSON.stringify(model);
    if (rendered !== this.lastRendered) {
      this.lastRendered = rendered;
      const onError = this.deps.onError ?? (() => undefined);
      this.tray.setContextMenu(Menu.buildFromTemplate(toElectronTemplate(model.template, this.deps.handlers, onError)));
      this.tray.setToolTip(model.tooltip);
      if (model.icon !== this.lastIcon) {
        this.lastIcon = model.icon;
        this.tray.setImage(nativeImage.createFromPath(this.deps.iconPath(model.icon)));
      }
    }
    this.schedule(hasCountdown(this.latest, options.now));
  }

  private schedule(needed: boolean): void {
    if (!needed) return this.clearTimer();
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      if (!this.destroyed) this.render();
    }, COUNTDOWN_REFRESH_MS);
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}

export function setupTray(deps: TrayDeps): TrayController {
  return new TrayController(deps);
}
