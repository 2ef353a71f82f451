import type { RouteTargetView } from '../../shared/routes';
import type { AccountView, Snapshot } from '../../shared/snapshot';
import {
  accountName,
  accountStateWords,
  activeBlocks,
  activeUserBlockUntil,
  exhaustedModels,
  trayIconState,
  type TrayIconState,
} from './snapshot-health';
import { formatClock, formatCountdown, GLANCE_CLOCK } from '../../shared/words/time-words';

/**
 * The tray menu, tooltip and icon as a pure function of one snapshot. Items name their click
 * handler by `action` (plus `account` for per-account actions); the tray controller binds them.
 */

export type TrayAction =
  | 'start-proxy'
  | 'stop-proxy'
  | 'use-another-port'
  | 'open-dashboard'
  | 'open-settings'
  | 'copy-base-url'
  | 'view-logs'
  | 'toggle-launch-at-login'
  | 'keep-tokens-on-disk'
  | 'reset-account'
  | 'quit';

export interface TrayMenuItem {
  type?: 'normal' | 'separator' | 'checkbox' | 'submenu';
  label?: string;
  enabled?: boolean;
  checked?: boolean;
  action?: TrayAction;
  account?: string;
  submenu?: TrayMenuItem[];
}

export interface TrayMenuOptions {
  now: number;
  launchAtLogin: boolean;
  /** Shown when tokens are kept for this run only because the OS has no keyring. */
  offerKeepTokensOnDisk?: boolean;
  /** For clock times in the tooltip; the system's zone when absent. */
  timeZone?: string;
}

export interface TrayModel {
  template: TrayMenuItem[];
  tooltip: string;
  icon: TrayIconState;
}

/** Windows truncates tray tooltips at 127 characters. */
export const TOOLTIP_MAX = 127;
const SEPARATOR: TrayMenuItem = { type: 'separator' };
const info = (label: string): TrayMenuItem => ({ label, enabled: false });

export function statusLine(snapshot: Snapshot): string {
  const { proxy } = snapshot;
  switch (proxy.status) {
    case 'running':
      return `Running on ${proxy.host}:${proxy.port}`;
    case 'starting':
      return 'Starting…';
    case 'stopped':
      return 'Stopped';
    case 'error':
      return `Not running: ${proxy.error ?? 'the proxy failed to start'}`;
  }
}

/** A route whose latest request fell back: its first target cannot serve now and a later one answered. */
interface RouteFallbackNow {
  route: string;
  first: RouteTargetView;
  serving: RouteTargetView;
}

/** Routes served by a later target than their first right now (spread routes move by design: left out). */
export function routesOnFallback(snapshot: Snapshot, now: number): RouteFallbackNow[] {
  const out: RouteFallbackNow[] = [];
  for (const route of snapshot.routes) {
    const first = route.targets[0];
    const serving = route.targets.find((t) => t.lastServed);
    if (route.spread || !first || !serving || serving === first) continue;
    const firstDown = first.state === 'unavailable' || (first.state === 'limited' && (first.until === null || first.until > now));
    if (firstDown) out.push({ route: route.name, first, serving });
  }
  return out;
}

function accountSubmenu(account: AccountView, now: number): TrayMenuItem[] {
  const items: TrayMenuItem[] = [
    info(`Login: ${account.login ?? 'not known yet'}`),
    info(`Key: ${account.key} (${account.masked})`),
    info(`State: ${accountStateWords(account, now)}${account.statusReason ? ` (${account.statusReason})` : ''}`),
  ];
  if (account.sharesQuotaWith.length > 0) {
    items.push(info(`Shares one quota with ${account.sharesQuotaWith.join(', ')}`));
  }
  const blockLines: TrayMenuItem[] = [];
  const userUntil = activeUserBlockUntil(account, now);
  if (userUntil !== null) blockLines.push(info(`All models: resets in ${formatCountdown(userUntil, now, 'minute')}`));
  for (const block of activeBlocks(account, now)) {
    blockLines.push(
      info(
        block.until === null
          ? `${block.model}: not allowed for this account`
          : `${block.model}: resets in ${formatCountdown(block.until, now, 'minute')}`,
      ),
    );
  }
  if (blockLines.length > 0) items.push(SEPARATOR, ...blockLines);
  const resettable = blockLines.length > 0 || account.status === 'invalid' || account.status === 'circuit-open';
  if (resettable) items.push(SEPARATOR, { label: 'Clear Blocks', action: 'reset-account', account: account.key });
  return items;
}

function accountItems(snapshot: Snapshot, now: number): TrayMenuItem[] {
  if (snapshot.accounts.length === 0) {
    return [{ label: 'No accounts yet: add one…', action: 'open-settings' }];
  }
  return snapshot.accounts.map((account) => ({
    type: 'submenu',
    label: `${accountName(account)}: ${accountStateWords(account, now)}`,
    submenu: accountSubmenu(account, now),
  }));
}

export function buildTrayTemplate(snapshot: Snapshot, options: TrayMenuOptions): TrayMenuItem[] {
  const { now } = options;
  const status = snapshot.proxy.status;
  const items: TrayMenuItem[] = [info(statusLine(snapshot)), ...snapshot.warnings.map((w) => info(w.message))];
  if (status === 'error') items.push({ label: 'Use Another Port…', action: 'use-another-port' });
  for (const e of exhaustedModels(snapshot, now)) {
    items.push(
      info(
        e.until === null
          ? `${e.model}: no account can serve it`
          : `${e.model}: every account blocked, resets in ${formatCountdown(e.until, now, 'minute')}`,
      ),
    );
  }
  for (const f of routesOnFallback(snapshot, now)) {
    const back = f.first.state === 'limited' && f.first.until !== null ? `, ${f.first.provider} resets in ${formatCountdown(f.first.until, now, 'minute')}` : '';
    items.push(info(`${f.route}: served by ${f.serving.target}${back}`));
  }
  items.push(SEPARATOR);
  items.push(
    status === 'running' || status === 'starting'
      ? { label: 'Stop Proxy', action: 'stop-proxy' }
      : { label: 'Start Proxy', action: 'start-proxy' },
  );
  items.push(SEPARATOR, ...accountItems(snapshot, now), SEPARATOR);
  items.push(
    { label: 'Open Dashboard', action: 'open-dashboard' },
    { label: 'Settings…', action: 'open-settings' },
    { label: 'Copy Base URL', action: 'copy-base-url' },
    { label: 'View Logs', action: 'view-logs' },
    SEPARATOR,
  );
  if (options.offerKeepTokensOnDisk) {
    items.push({ label: 'Keep Tokens Without a Keyring…', action: 'keep-tokens-on-disk' });
  }
  items.push(
    { type: 'checkbox', label: 'Launch at Login', checked: options.launchAtLogin, action: 'toggle-launch-at-login' },
    SEPARATOR,
    { label: 'Quit', action: 'quit' },
  );
  return items;
}

/** Problems in order of weight: exhausted models, invalid accounts, paused accounts, routes on a fallback, model blocks. */
function issues(snapshot: Snapshot, now: number, timeZone?: string): string[] {
  const at = (until: number) => formatClock(until, now, { ...GLANCE_CLOCK, timeZone });
  const out: string[] = [];
  for (const e of exhaustedModels(snapshot, now)) {
    out.push(e.until === null ? `${e.model} unavailable on every account` : `${e.model} exhausted on every account until ${at(e.until)}`);
  }
  const enabled = snapshot.accounts.filter((a) => !a.disabled);
  for (const a of enabled) if (a.status === 'invalid') out.push(`${accountName(a)} invalid`);
  for (const a of enabled) if (a.status === 'circuit-open') out.push(`${accountName(a)} paused after errors`);
  for (const a of enabled) {
    const until = activeUserBlockUntil(a, now);
    if (until !== null && a.status !== 'invalid') out.push(`${accountName(a)} paused until ${at(until)}`);
  }
  for (const f of routesOnFallback(snapshot, now)) {
    const until = f.first.state === 'limited' && f.first.until !== null ? ` until ${at(f.first.until)}` : '';
    out.push(`${f.route} on ${f.serving.provider} (${f.first.provider} ${f.first.state === 'limited' ? 'at its limit' : 'unavailable'}${until})`);
  }
  for (const a of enabled) {
    if (a.status === 'invalid') continue;
    for (const b of activeBlocks(a, now)) {
      out.push(b.until === null ? `${accountName(a)} not allowed ${b.model}` : `${accountName(a)} blocked for ${b.model} until ${at(b.until)}`);
    }
  }
  return out;
}

export function buildTooltip(snapshot: Snapshot, options: TrayMenuOptions): string {
  const { proxy } = snapshot;
  let text: string;
  if (proxy.status === 'stopped') text = 'Switchyard — stopped';
  else if (proxy.status === 'starting') text = 'Switchyard — starting';
  else if (proxy.status === 'error') text = `Switchyard — ${proxy.error ?? 'not running'}`;
  else if (snapshot.warnings.length > 0) text = `Switchyard — ${snapshot.warnings.map((w) => w.message).join('; ')}`;
  else if (snapshot.accounts.length === 0) text = 'Switchyard — no accounts yet';
  else {
    const n = snapshot.accounts.length;
    const found = issues(snapshot, options.now, options.timeZone);
    const head = `Switchyard — ${n} account${n === 1 ? '' : 's'}`;
    text = found.length === 0 ? `${head}, all ready` : `${head}, ${found[0]}${found.length > 1 ? ` (+${found.length - 1} more)` : ''}`;
  }
  return text.length > TOOLTIP_MAX ? `${text.slice(0, TOOLTIP_MAX - 1)}…` : text;
}

export function buildTrayMenu(snapshot: Snapshot, options: TrayMenuOptions): TrayModel {
  return {
    template: buildTrayTemplate(snapshot, options),
    tooltip: buildTooltip(snapshot, options),
    icon: trayIconState(snapshot, options.now),
  };
}
