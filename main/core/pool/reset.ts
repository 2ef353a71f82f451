import type { ResetTarget } from '../../../shared/api';
import { subjectOf, type AccountState } from './accounts';
import { emit, notify, wake, type PoolContext } from './context';
import type { Subject } from './ledger';
import { sweep } from './sweep';

function clearSubject(subject: Subject | undefined, model: string | undefined): number {
  if (!subject) return 0;
  let cleared = 0;
  for (const [m, entry] of subject.models) {
    if (model !== undefined && m !== model) continue;
    if (entry.cooldown) cleared++;
    entry.cooldown = null;
  }
  if (model === undefined) {
    cleared += Number(subject.userCooldown !== null) + Number(subject.pause !== null);
    subject.userCooldown = null;
    subject.pause = null;
    subject.cap = null;
  }
  return cleared;
}

function clearAccount(account: AccountState, model: string | undefined): number {
  let cleared = 0;
  if (model === undefined) {
    cleared += account.forbidden.size + Number(account.invalid !== null) + Number(account.breaker.reset());
    account.forbidden.clear();
    account.invalid = null;
    account.failures = 0;
  } else if (account.forbidden.delete(model)) {
    cleared++;
  }
  return cleared;
}

/**
 * Manual reset (the old `token-emergency.sh emergency`): cooldowns, forbidden and invalid marks
 * and open circuits for one (account, model), one account, one model, or everything. Returns
 * how many were cleared.
 */
export function resetMarks(ctx: PoolContext, target: ResetTarget): number {
  const accounts = target.account === undefined ? ctx.accounts : ctx.accounts.filter((a) => a.key === target.account);
  let cleared = 0;
  const subjects = new Set<string>();
  for (const account of accounts) {
    cleared += clearAccount(account, target.model);
    subjects.add(subjectOf(account));
  }
  if (target.account === undefined) {
    for (const subject of ctx.ledger.subjects.values()) cleared += clearSubject(subject, target.model);
  } else {
    for (const id of subjects) cleared += clearSubject(ctx.ledger.find(id), target.model);
  }
  // Limits GitHub confirmed are asked again: the next spent window sends one probe upstream.
  const ids = target.account === undefined ? [null] : [...subjects].map((id) => ctx.ledger.idOf(id));
  for (const id of ids) ctx.ledger.limits.unconfirm(id, target.model ?? null);
  if (target.model === undefined && target.account === undefined) ctx.exhausted.clear();
  ctx.logger.info({ tag: 'reset', account: target.account ?? null, model: target.model ?? null, cleared }, `Manual reset cleared ${cleared} mark(s)`);
  emit(ctx, { kind: 'manual-reset', account: target.account ?? null, model: target.model ?? null });
  sweep(ctx);
  notify(ctx);
  wake(ctx);
  return cleared;
}
