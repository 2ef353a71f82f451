import { CAP_RECOVERY_MS } from '../cooldowns';
import type { CooldownEffect, QuotaOwner, CountedLimitType, LimitNote, CooldownRecord, Expired } from '../quota-store';
import type { Mirror } from './mirror';

/**
 * Cooldowns (merged by max on the server), clearing them, the limits upstream stated, and the
 * sweep that tells each ended block once — each a script on Redis, or the local store while it is away.
 */
export function applyCooldown(mirror: Mirror, owner: QuotaOwner, model: string, record: CooldownRecord, now: number): Promise<CooldownEffect> {
  return mirror.write('cooldown', mirror.keyOf(owner), 'syCooldown', [model, JSON.stringify(record), record.until, record.account, record.scope, CAP_RECOVERY_MS], {
    offline: () => mirror.local.applyCooldown(owner, model, record, now),
    online: (result) => {
      const [changed, kept] = result as [number, string];
      return { kept: JSON.parse(kept) as CooldownRecord, changed: changed === 1 };
    },
  }, now);
}

export function clearBlocks(mirror: Mirror, owner: QuotaOwner | null, model: string | null): Promise<number> {
  return mirror.everyOwner(owner, (key) => mirror.runScript('clear', 'syClear', key, [model ?? ''], ''), () => mirror.local.clearBlocks(owner, model));
}

export async function noteLimit(mirror: Mirror, owner: QuotaOwner, model: string, type: CountedLimitType, note: LimitNote): Promise<void> {
  await mirror.write('limit', mirror.keyOf(owner), 'syLimit', [model, type, 'set', note.limit, note.confirmed ? 1 : 0, note.at], {
    offline: () => void mirror.local.noteLimit(owner, model, type, note),
    online: () => undefined,
  }, note.at);
}

export async function dropLimit(mirror: Mirror, owner: QuotaOwner, model: string, type: CountedLimitType): Promise<void> {
  await mirror.write('limit', mirror.keyOf(owner), 'syLimit', [model, type, 'drop', 0, 0, 0], { offline: () => void mirror.local.dropLimit(owner, model, type), online: () => undefined }, '');
}

export function unconfirm(mirror: Mirror, owner: QuotaOwner | null, model: string | null): Promise<number> {
  return mirror.everyOwner(owner, (key) => mirror.runScript('limit', 'syLimit', key, [model ?? '', '', 'unconfirm', 0, 0, 0], ''), () => mirror.local.unconfirm(owner, model));
}

/** Drops what has expired by `now` (only owners whose copy shows an ended block are asked). */
export async function sweep(mirror: Mirror, now: number): Promise<Expired[]> {
  if (!mirror.conn.online) return mirror.local.sweep(now);
  const due = [...mirror.local.ledger.subjects.values()].filter(
    (s) => [...s.models.values()].some((e) => e.cooldown && e.cooldown.until <= now) || [s.userCooldown, s.pause, s.cap].some((r) => r && r.until <= now),
  );
  const out: Expired[] = [];
  try {
    for (const subject of due) {
      const expired = (await mirror.runScript('sweep', 'sySweep', subject.id, [], now)) as [string, string, Expired['kind']][];
      out.push(...expired.map(([model, account, kind]) => ({ owner: subject.id, model: model === '' ? null : model, account, kind })));
    }
  } catch (err) {
    mirror.conn.failed(err);
    out.push(...(await mirror.local.sweep(now)));
  }
  return out;
}
