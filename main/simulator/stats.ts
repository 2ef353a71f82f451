import type { LimitType } from '../../shared/domain';
import type { Exchange } from './exchange';
import type { Endpoint } from './routes';

/** What the simulator saw: totals and per (login, model) counters for inference requests, and a bounded log. */

export interface Counters {
  requests: number;
  /** 200 responses that were sent to the end. */
  served: number;
  /** Responses by status code; requests that got no status (hang, early reset) are not here. */
  byStatus: Record<string, number>;
  rateLimited: Partial<Record<LimitType, number>>;
  /** The client went away before the response ended. */
  aborted: number;
  inFlight: number;
}

export interface KeyStats extends Counters {
  login: string;
  model: string;
}

export interface RequestLogEntry {
  /** Simulator clock (epoch ms) when the request arrived. */
  at: number;
  endpoint: Endpoint;
  login: string | null;
  model: string | null;
  /** 0 when no status line was sent. */
  status: number;
  stream: boolean;
  aborted: boolean;
  fault: string | null;
  limitType: LimitType | null;
  durationMs: number;
}

export interface SimulatorStats {
  /** Inference requests (chat and embeddings) only. */
  totals: Counters & { faults: number };
  /** All requests by endpoint, including /user, /catalog/models and unknown paths. */
  endpoints: Record<Endpoint, number>;
  perKey: KeyStats[];
  /** Most recent last. */
  recent: RequestLogEntry[];
}

const counters = (): Counters => ({ requests: 0, served: 0, byStatus: {}, rateLimited: {}, aborted: 0, inFlight: 0 });

function add(c: Counters, x: Exchange): void {
  if (x.status) c.byStatus[x.status] = (c.byStatus[x.status] ?? 0) + 1;
  if (x.status === 200 && !x.aborted && !x.resetByServer) c.served += 1;
  if (x.status === 429 && x.limitType) c.rateLimited[x.limitType] = (c.rateLimited[x.limitType] ?? 0) + 1;
  if (x.aborted) c.aborted += 1;
}

const isInference = (endpoint: Endpoint) => endpoint === 'chat' || endpoint === 'embeddings';

export class StatsRecorder {
  private totals = { ...counters(), faults: 0 };
  private endpoints: Record<Endpoint, number> = { chat: 0, embeddings: 0, catalog: 0, user: 0, unknown: 0 };
  private readonly perKey = new Map<string, KeyStats>();
  private recent: RequestLogEntry[] = [];
  private readonly arrivals = new WeakMap<Exchange, number>();

  constructor(
    private readonly now: () => number,
    private readonly logSize = 200,
  ) {}

  begin(x: Exchange): void {
    this.endpoints[x.endpoint] += 1;
    this.arrivals.set(x, this.now());
    if (!isInference(x.endpoint)) return;
    this.totals.requests += 1;
    this.totals.inFlight += 1;
  }

  /** Called once the login and model of an inference request are known. */
  identify(x: Exchange, login: string, model: string): void {
    x.login = login;
    x.model = model;
    const key = this.keyStats(login, model);
    key.requests += 1;
    key.inFlight += 1;
  }

  finish(x: Exchange): void {
    if (isInference(x.endpoint)) {
      this.totals.inFlight -= 1;
      add(this.totals, x);
      if (x.fault) this.totals.faults += 1;
      if (x.login && x.model) {
        const key = this.keyStats(x.login, x.model);
        key.inFlight -= 1;
        add(key, x);
      }
    }
    this.recent.push({
      at: this.arrivals.get(x) ?? this.now(),
      endpoint: x.endpoint,
      login: x.login,
      model: x.model,
      status: x.status,
      stream: x.stream,
      aborted: x.aborted,
      fault: x.fault,
      limitType: x.limitType,
      durationMs: Math.round((performance.now() - x.startedAt) * 10) / 10,
    });
    if (this.recent.length > this.logSize * 2) this.recent = this.recent.slice(-this.logSize);
  }

  snapshot(): SimulatorStats {
    const clone = (c: Counters): Counters => ({ ...c, byStatus: { ...c.byStatus }, rateLimited: { ...c.rateLimited } });
    return {
      totals: { ...clone(this.totals), faults: this.totals.faults },
      endpoints: { ...this.endpoints },
      perKey: [...this.perKey.values()].map((k) => ({ ...k, ...clone(k) })),
      recent: this.recent.slice(-this.logSize).map((entry) => ({ ...entry })),
    };
  }

  /** Zeroes every counter and the log; requests still open keep their in-flight count. */
  reset(): void {
    const open = this.totals.inFlight;
    this.totals = { ...counters(), inFlight: open, faults: 0 };
    this.endpoints = { chat: 0, embeddings: 0, catalog: 0, user: 0, unknown: 0 };
    for (const [id, key] of this.perKey) {
      if (key.inFlight > 0) this.perKey.set(id, { ...counters(), login: key.login, model: key.model, inFlight: key.inFlight });
      else this.perKey.delete(id);
    }
    this.recent = [];
  }

  private keyStats(login: string, model: string): KeyStats {
    const id = `${login.toLowerCase()}\n${model.toLowerCase()}`;
    let key = this.perKey.get(id);
    if (!key) {
      key = { ...counters(), login, model };
      this.perKey.set(id, key);
    }
    return key;
  }
}
