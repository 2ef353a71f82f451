import { MemoryQuotaStore } from '../memory-quota-store';
import type { QuotaOwner, QuotaSnapshot } from '../quota-store';
import { docOf, type DocNote } from './doc';
import type { SharedMarks } from './marks';
import type { Mirror } from './mirror';

/**
 * Merging by max, into Redis: what a replica learned alone while Redis was away (on reconnect),
 * a saved snapshot (at start), and a provisional owner that turned out to be a real one.
 */

/** Redis is (back) up: merge what was learned alone, by max, then read everything. */
export async function reconcile(mirror: Mirror, marks: SharedMarks): Promise<void> {
  const { conn, local } = mirror;
  try {
    while (mirror.dirty.size > 0) {
      const owner = [...mirror.dirty][0]!;
      const subject = local.ledger.find(owner);
      if (subject) {
        const notes: DocNote[] = local.ledger.limits.list().filter((n) => n.subject === subject.id).map((n) => ({ ...n, type: n.limitType }));
        await mirror.runScript('reconnect', 'syMergeMax', subject.id, [JSON.stringify(docOf(subject, notes))], mirror.clock());
      }
      mirror.dirty.delete(owner);
    }
    await marks.flush();
    conn.resume();
    await mirror.refresh();
    conn.resumed();
  } catch (err) {
    conn.stillAway(err);
  }
}

/**
 * Merges a snapshot in by max (a replica's saved file never shortens a block or lowers a count
 * the team's Redis holds); on an empty Redis that is the snapshot's state.
 */
export async function restoreSnapshot(mirror: Mirror, snapshot: QuotaSnapshot): Promise<void> {
  const { local } = mirror;
  const saved = new MemoryQuotaStore();
  saved.restoreNow(snapshot);
  const notes = saved.ledger.limits.list();
  const now = Math.min(mirror.clock(), latestActivity(snapshot) ?? Infinity);
  for (const subject of saved.ledger.subjects.values()) {
    const doc = docOf(subject, notes.filter((n) => n.subject === subject.id).map((n) => ({ ...n, type: n.limitType })));
    await mirror.write('restore', subject.id, 'syMergeMax', [JSON.stringify(doc)], {
      offline: () => {
        local.ledger.subjects.set(subject.id, subject);
        for (const n of notes) if (n.subject === subject.id) local.ledger.limits.set(n.subject, n.model, n.limitType, n);
      },
      online: () => undefined,
    }, now);
  }
  const owners = new Set(saved.ledger.subjects.keys());
  for (const n of notes) {
    if (owners.has(n.subject)) continue;
    await mirror.write('limit', n.subject, 'syLimit', [n.model, n.limitType, 'set', n.limit, n.confirmed ? 1 : 0, n.at], {
      offline: () => local.ledger.limits.set(n.subject, n.model, n.limitType, n),
      online: () => undefined,
    }, n.at);
  }
}

/** A provisional owner turned out to be `to`: windows add up, the later block stands, leases move over. */
export async function mergeOwner(mirror: Mirror, from: QuotaOwner, to: QuotaOwner, now: number): Promise<void> {
  const fromKey = mirror.keyOf(from);
  const toKey = mirror.keyOf(to);
  if (fromKey === toKey) return;
  // A refresh under way must not bring the provisional owner back into the copy.
  mirror.touch(fromKey);
  mirror.local.ledger.merge(fromKey, toKey, now);
  await mirror.write('merge', toKey, 'syMergeOwner', [fromKey], { offline: () => undefined, online: () => undefined }, now, [mirror.keys.doc(fromKey), mirror.keys.leases(fromKey)]);
}

/** The latest time a snapshot counted or noted something: the moment its windows are judged at. */
function latestActivity(snapshot: QuotaSnapshot): number | null {
  const times = [
    ...snapshot.owners.flatMap((o) => [o.minute.start, o.day.start, ...o.models.flatMap((m) => [m.minute.start, m.day.start, m.tokensDay.start])]),
    ...snapshot.limits.map((n) => n.at),
  ].filter((x): x is number => typeof x === 'number');
  return times.length ? Math.max(...times) : null;
}
