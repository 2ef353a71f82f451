import { type CooldownRecord, COUNTED_TYPES, type CountedLimitType, emptyWindow, type LimitNote, type Window } from '../quota-store';
import { emptyEntry, emptySubject, type Subject } from '../memory-quota-store';

/**
 * One owner's state as the Redis store keeps it (one JSON document per owner, read and written
 * by the Lua scripts in lua.ts). Short field names keep the documents small; absent means empty.
 * In-flight slots are not in it: they are the live members of the owner's lease set.
 */
export interface OwnerDoc {
  /** Per model: minute, day and token-day windows, and a model-scoped block. */
  m: Record<string, ModelDoc>;
  mi?: WindowDoc;
  d?: WindowDoc;
  /** Owner-wide block (UserByMinute). */
  uc?: RecordDoc;
  /** Concurrency pause. */
  p?: RecordDoc;
  cap?: { v: number; u: number };
  /** Stated limits by `model\ntype`. */
  lim: Record<string, { l: number; c: boolean; a: number }>;
}

export interface ModelDoc {
  mi?: WindowDoc;
  d?: WindowDoc;
  t?: WindowDoc;
  cd?: RecordDoc;
}

/** [window start, count] */
export type WindowDoc = [number, number];

/** A block: its end and account (for the scripts) and the whole record as JSON (for the replicas). */
export interface RecordDoc {
  u: number;
  a: string;
  r: string;
}

/** A lease's member in the owner's lease set: `<lease id>\n<model>`. */
export const leaseMember = (id: string, model: string) => `${id}\n${model}`;
/** Ends the id of a probe's lease member (lua.ts RESERVE looks for it). */
export const PROBE_MARK = '.probe';
/** Ends the id of a lease member once upstream answered it 2xx, in place of PROBE_MARK (lua.ts RESERVE looks for it). */
export const ANSWERED_MARK = '.answered';
/** The name a lease member takes once upstream answered it 2xx. */
export function answeredMember(member: string): string {
  const cut = member.indexOf('\n');
  const id = member.slice(0, cut);
  if (id.endsWith(ANSWERED_MARK)) return member;
  const bare = id.endsWith(PROBE_MARK) ? id.slice(0, -PROBE_MARK.length) : id;
  return `${bare}${ANSWERED_MARK}${member.slice(cut)}`;
}
export const modelOfMember = (member: string) => member.slice(member.indexOf('\n') + 1);

export function parseDoc(raw: string | null): OwnerDoc {
  if (!raw) return { m: {}, lim: {} };
  const doc = JSON.parse(raw) as Partial<OwnerDoc>;
  // cjson writes an empty Lua table as {} or []; both mean "none".
  const m = doc.m && !Array.isArray(doc.m) ? doc.m : {};
  const lim = doc.lim && !Array.isArray(doc.lim) ? doc.lim : {};
  return { ...doc, m, lim };
}

const toWindow = (w: WindowDoc | undefined): Window => (w ? { start: w[0], count: w[1] } : emptyWindow());
const fromWindow = (w: Window): WindowDoc | undefined => (w.start === null ? undefined : [w.start, w.count]);
const toRecord = (r: RecordDoc | undefined): CooldownRecord | null => (r ? (JSON.parse(r.r) as CooldownRecord) : null);
export const fromRecord = (r: CooldownRecord | null): RecordDoc | undefined => (r ? { u: r.until, a: r.account, r: JSON.stringify(r) } : undefined);

/** The ledger subject a document and its live leases stand for (models in name order). */
export function subjectOf(id: string, doc: OwnerDoc, leases: readonly string[]): Subject {
  const subject = emptySubject(id);
  subject.minute = toWindow(doc.mi);
  subject.day = toWindow(doc.d);
  subject.userCooldown = toRecord(doc.uc);
  subject.pause = toRecord(doc.p);
  subject.cap = doc.cap ? { value: doc.cap.v, until: doc.cap.u } : null;
  subject.inFlight = leases.length;
  const names = new Set([...Object.keys(doc.m), ...leases.map(modelOfMember)]);
  for (const model of [...names].sort()) {
    const e = doc.m[model];
    subject.models.set(model, {
      ...emptyEntry(),
      minute: toWindow(e?.mi),
      day: toWindow(e?.d),
      tokensDay: toWindow(e?.t),
      cooldown: toRecord(e?.cd),
      inFlight: leases.filter((member) => modelOfMember(member) === model).length,
    });
  }
  return subject;
}

export interface DocNote extends LimitNote {
  model: string;
  type: CountedLimitType;
}

/** The stated limits of a document. */
export function notesOf(doc: OwnerDoc): DocNote[] {
  return Object.entries(doc.lim).flatMap(([key, n]) => {
    const cut = key.indexOf('\n');
    const type = key.slice(cut + 1) as CountedLimitType;
    if (cut < 0 || !COUNTED_TYPES.includes(type)) return [];
    return [{ model: key.slice(0, cut), type, limit: n.l, confirmed: n.c, at: n.a }];
  });
}

/** The document of a ledger subject and its notes (what a replica learned alone, to merge in). */
export function docOf(subject: Subject, notes: readonly DocNote[]): OwnerDoc {
  const doc: OwnerDoc = { m: {}, lim: {}, mi: fromWindow(subject.minute), d: fromWindow(subject.day), uc: fromRecord(subject.userCooldown), p: fromRecord(subject.pause) };
  if (subject.cap) doc.cap = { v: subject.cap.value, u: subject.cap.until };
  for (const [model, e] of subject.models) doc.m[model] = { mi: fromWindow(e.minute), d: fromWindow(e.day), t: fromWindow(e.tokensDay), cd: fromRecord(e.cooldown) };
  for (const n of notes) doc.lim[`${n.model}\n${n.type}`] = { l: n.limit, c: n.confirmed, a: n.at };
  return doc;
}
