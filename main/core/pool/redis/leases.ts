import type { Lease, LeaseUsage, OwnerKey, Refusal, Reservation, ReserveRequest, CountedLimitType, CooldownRecord } from '../quota-store';
import { answeredMember, leaseMember, PROBE_MARK } from './doc';
import type { Mirror } from './mirror';

interface Held {
  owner: OwnerKey;
  model: string;
  /** The member in Redis; null for a lease taken while Redis was away. */
  member: string | null;
  local: Lease | null;
}

/** A limit Lua can compare (an unlimited one is a very large number). */
const finite = (n: number) => (Number.isFinite(n) ? n : 1e15);

/**
 * Reservations and the in-flight slots they hold: each slot is a member of the owner's lease set
 * in Redis, scored by when it lapses without a heartbeat. This replica renews the ones it holds
 * (`heartbeat`, on a timer), so a replica that dies frees its slots within the lease TTL.
 */
export class Leases {
  private readonly held = new Map<number, Held>();
  private nextLease = 1;

  constructor(
    private readonly mirror: Mirror,
    private readonly replica: string,
    private readonly ttl: number,
  ) {}

  async reserve(request: ReserveRequest): Promise<Reservation> {
    const { mirror } = this;
    const owner = mirror.keyOf(request.owner);
    const id = this.nextLease++;
    const member = leaseMember(`${this.replica}.${id}${request.probe ? PROBE_MARK : ''}`, request.model);
    const l = request.limits;
    const args = [request.model, member, this.ttl, l ? 1 : 0, finite(l?.perMinute ?? 0), finite(l?.perDay ?? 0), finite(l?.concurrent ?? 0), request.probe ? 1 : 0];
    return mirror.write('reserve', owner, 'syReserve', args, {
      offline: () => {
        const r = mirror.local.reserveNow(request);
        if (!r.ok) return r;
        this.held.set(id, { owner: r.lease.owner, model: request.model, member: null, local: r.lease });
        return { ok: true, lease: { ...r.lease, id } };
      },
      online: (result) => {
        const [kind, a, b, c] = result as [string, number | string, number | string, number];
        if (kind === 'ok') {
          this.held.set(id, { owner, model: request.model, member, local: null });
          return { ok: true, lease: { id, owner, model: request.model, account: request.account, at: request.now, positions: { minute: Number(a), day: Number(b) } } };
        }
        return { ok: false, refusal: refusalOf(kind, a, b, c) };
      },
    }, request.now);
  }

  /**
   * Upstream answered the request 2xx: its member takes the answered name (the same slot, renamed
   * in one script), so it holds no probe of the (owner, model) back on any replica (lua.ts RESERVE)
   * while its body is read. If Redis is away, the old name stays until release (the TTL bounds it).
   */
  async answered(lease: Lease): Promise<void> {
    const { mirror } = this;
    const held = this.held.get(lease.id);
    if (!held) return;
    if (held.local) return mirror.local.answered(held.local);
    const member = held.member;
    if (!member) return;
    const renamed = answeredMember(member);
    if (renamed === member) return;
    const key = mirror.keys.leases(mirror.canonical(held.owner));
    try {
      if (Number(await mirror.conn.metrics.time('answered', () => mirror.conn.commands.syAnswered!(key, member, renamed))) === 1) held.member = renamed;
    } catch {
      // Redis away or slow: the old name stays until release, as before.
    }
  }

  async release(lease: Lease, usage: LeaseUsage, now: number): Promise<void> {
    const { mirror } = this;
    const held = this.held.get(lease.id);
    if (!held) return;
    this.held.delete(lease.id);
    const tokens = typeof usage.tokens === 'number' && Number.isFinite(usage.tokens) && usage.tokens > 0 ? Math.round(usage.tokens) : 0;
    const owner = mirror.canonical(held.owner);
    const member = held.member ?? '';
    await mirror.write('release', owner, 'syRelease', [held.model, member, tokens, member && answeredMember(member)], {
      offline: () => {
        if (held.local) return void mirror.local.release(held.local, usage, now);
        mirror.local.ledger.addTokens(owner, held.model, now, tokens);
        mirror.local.ledger.end(owner, held.model);
      },
      online: () => undefined,
    }, now);
  }

  async uncount(lease: Lease, now: number): Promise<void> {
    const { mirror } = this;
    await mirror.write('uncount', mirror.canonical(lease.owner), 'syUncount', [lease.model], { offline: () => void mirror.local.uncount(lease, now), online: () => undefined }, now);
  }

  /** Renews this replica's leases (a replica that stops renewing frees its slots within the TTL). */
  async heartbeat(): Promise<void> {
    const { conn, keys } = this.mirror;
    if (!conn.online || conn.closed) return;
    const byOwner = new Map<OwnerKey, string[]>();
    for (const h of this.held.values()) {
      if (!h.member) continue;
      const owner = this.mirror.canonical(h.owner);
      byOwner.set(owner, [...(byOwner.get(owner) ?? []), h.member]);
    }
    if (byOwner.size === 0) return;
    const t = this.mirror.clock();
    const pipeline = conn.client.pipeline();
    for (const [owner, members] of byOwner) (pipeline as unknown as Record<string, (...args: (string | number)[]) => unknown>).syHeartbeat!(keys.leases(owner), t, this.ttl, ...members);
    await conn.metrics.time('heartbeat', () => pipeline.exec());
  }

  /** Frees every slot this replica holds (closing). */
  async releaseAll(now: number): Promise<void> {
    await Promise.all([...this.held.entries()].map(([id, h]) => this.release({ id, owner: h.owner, model: h.model, account: '', at: now, positions: { minute: 0, day: 0 } }, {}, now)));
  }
}

function refusalOf(kind: string, a: number | string, b: number | string, c: number): Refusal {
  if (kind === 'blocked') return { kind: 'blocked', block: JSON.parse(String(a)) as CooldownRecord };
  if (kind === 'probing') return { kind: 'probing' };
  if (kind === 'spent') return { kind: 'spent', window: { limitType: a as CountedLimitType, limit: Number(b), until: Number(c) } };
  const until = Number(b);
  return { kind: 'full', limit: a as 'minute' | 'day' | 'concurrent', until: until < 0 ? null : until };
}
