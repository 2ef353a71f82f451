import type { AccountView, ModelBlock, Snapshot } from '../../shared/snapshot';

/**
 * Health of the pool as the tray shows it, derived from one snapshot at one instant. Blocks
 * whose reset time has passed no longer count, so a slightly old snapshot never shows a stale block.
 */

/** `warning`: the snapshot carries a process-wide warning (e.g. a provider retired its API) that needs the person. */
export type TrayIconState = 'ok' | 'some-blocked' | 'all-blocked' | 'warning' | 'stopped';
export const TRAY_ICON_STATES: readonly TrayIconState[] = ['ok', 'some-blocked', 'all-blocked', 'warning', 'stopped'];

export function accountName(account: AccountView): string {
  return account.login ?? account.key;
}

/** Model blocks in force at `now` (forbidden ones last until reset by hand). */
export function activeBlocks(account: AccountView, now: number): ModelBlock[] {
  return account.blocks.filter((b) => b.until === null || b.until > now);
}

export function activeUserBlockUntil(account: AccountView, now: number): number | null {
  return account.userBlock && account.userBlock.until > now ? account.userBlock.until : null;
}

/** The account cannot serve any model right now. */
export function unusableForAll(account: AccountView, now: number): boolean {
  return (
    account.disabled ||
    account.status === 'disabled' ||
    account.status === 'invalid' ||
    account.status === 'circuit-open' ||
    account.status === 'retired' ||
    activeUserBlockUntil(account, now) !== null
  );
}

function hasProblem(account: AccountView, now: number): boolean {
  return unusableForAll(account, now) || activeBlocks(account, now).length > 0;
}

/** Models no enabled account can serve at `now`: from the snapshot, re-derived from the blocks too. */
export function exhaustedModels(snapshot: Snapshot, now: number): { model: string; until: number | null }[] {
  const out = new Map<string, number | null>();
  for (const e of snapshot.exhaustedModels) {
    if (e.until === null || e.until > now) out.set(e.model, e.until);
  }
  const enabled = snapshot.accounts.filter((a) => !a.disabled);
  if (enabled.length === 0) return [...out].map(([model, until]) => ({ model, until }));
  const models = new Set(enabled.flatMap((a) => activeBlocks(a, now).map((b) => b.model)));
  for (const model of models) {
    if (out.has(model)) continue;
    let earliest: number | null = null;
    let allBlocked = true;
    for (const account of enabled) {
      const userUntil = activeUserBlockUntil(account, now);
      const block = activeBlocks(account, now).find((b) => b.model === model);
      if (!block && userUntil === null && !unusableForAll(account, now)) {
        allBlocked = false;
        break;
      }
      const until = block?.until ?? userUntil;
      if (until !== null && until !== undefined) earliest = earliest === null ? until : Math.min(earliest, until);
    }
    if (allBlocked) out.set(model, earliest);
  }
  return [...out].map(([model, until]) => ({ model, until }));
}

export function trayIconState(snapshot: Snapshot, now: number): TrayIconState {
  if (snapshot.proxy.status !== 'running') return 'stopped';
  if (snapshot.warnings.length > 0) return 'warning';
  const enabled = snapshot.accounts.filter((a) => !a.disabled);
  if (enabled.length === 0) return 'all-blocked';
  if (enabled.every((a) => unusableForAll(a, now))) return 'all-blocked';
  if (exhaustedModels(snapshot, now).length > 0) return 'all-blocked';
  if (enabled.some((a) => hasProblem(a, now))) return 'some-blocked';
  return 'ok';
}

/** Whether any countdown is on screen (so the tray needs its once-a-minute refresh). */
export function hasCountdown(snapshot: Snapshot, now: number): boolean {
  if (snapshot.exhaustedModels.some((e) => e.until !== null && e.until > now)) return true;
  return snapshot.accounts.some(
    (a) => activeUserBlockUntil(a, now) !== null || activeBlocks(a, now).some((b) => b.until !== null),
  );
}

/** One short phrase for the account's state, e.g. "ready", "2 models blocked", "invalid". */
export function accountStateWords(account: AccountView, now: number): string {
  if (account.disabled || account.status === 'disabled') return 'disabled';
  if (account.status === 'invalid') return 'invalid';
  if (account.status === 'retired') return 'retired by its provider';
  if (account.status === 'circuit-open') return 'paused after repeated errors';
  if (activeUserBlockUntil(account, now) !== null) return 'paused for all models';
  if (account.status === 'checking') return 'checking…';
  const n = activeBlocks(account, now).length;
  if (n > 0) return `${n} model${n === 1 ? '' : 's'} blocked`;
  return 'ready';
}
