import { Readable } from 'node:stream';
import {
  UpstreamHttpError,
  UpstreamNetworkError,
  type CatalogModel,
  type GitHubUser,
  type InferenceKind,
  type NetworkFailure,
  type UpstreamClient,
  type UpstreamReply,
} from '../../upstream/types';
import type { HttpSpec } from './fixtures';
import type { VirtualClock } from './virtual-clock';

/** What the fake does for one call. */
export type ReplySpec =
  | HttpSpec
  /** Fails after `afterMs` of virtual time (e.g. a first-byte timeout), or at once. */
  | { network: NetworkFailure; afterMs?: number }
  /** Never answers; rejects only when the request's signal aborts. */
  | { hang: true }
  /** Answers with `then` once the test calls `open()`. */
  | { gate: Gate; then: ReplySpec };

export interface Gate {
  promise: Promise<void>;
  open: () => void;
}

export function gate(): Gate {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

export const ok = (): HttpSpec => ({
  status: 200,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content: 'hi' } }], usage: { total_tokens: 12 } }),
});

export interface SendCall {
  kind: InferenceKind;
  token: string;
  model: string;
  at: number;
}

const ANY = '*';

/** An in-process UpstreamClient scripted per (token, model). */
export class FakeUpstream implements UpstreamClient {
  readonly calls: SendCall[] = [];
  readonly userCalls: string[] = [];
  private readonly queued = new Map<string, ReplySpec[]>();
  private readonly standing = new Map<string, ReplySpec>();
  private readonly users = new Map<string, GitHubUser | Error>();

  constructor(private readonly clock: VirtualClock) {}

  /** One-shot replies, used in order before any standing reply. */
  queue(token: string, model: string, ...specs: ReplySpec[]): this {
    const id = `${token}|${model}`;
    this.queued.set(id, [...(this.queued.get(id) ?? []), ...specs]);
    return this;
  }

  /** The reply every call gets once its queue is empty (model '*' for any model). Default: 200. */
  always(token: string, model: string, spec: ReplySpec): this {
    this.standing.set(`${token}|${model}`, spec);
    return this;
  }

  user(token: string, login: string): this {
    this.users.set(token, { login, id: null, avatarUrl: `https://avatars.example/${login}` });
    return this;
  }

  userFails(token: string, error: Error): this {
    this.users.set(token, error);
    return this;
  }

  callsFor(token: string, model?: string): SendCall[] {
    return this.calls.filter((c) => c.token === token && (model === undefined || c.model === model));
  }

  async send(kind: InferenceKind, token: string, body: Uint8Array | string, signal: AbortSignal): Promise<UpstreamReply> {
    const text = typeof body === 'string' ? body : Buffer.from(body).toString('utf8');
    const model = String((JSON.parse(text) as { model?: unknown }).model);
    this.calls.push({ kind, token, model, at: this.clock.now() });
    const spec = this.queued.get(`${token}|${model}`)?.shift() ?? this.standing.get(`${token}|${model}`) ?? this.standing.get(`${token}|${ANY}`) ?? ok();
    return this.play(spec, signal);
  }

  private async play(spec: ReplySpec, signal: AbortSignal): Promise<UpstreamReply> {
    if (signal.aborted) throw new UpstreamNetworkError('aborted', 'aborted');
    if ('gate' in spec) {
      await Promise.race([spec.gate.promise, aborted(signal)]);
      return this.play(spec.then, signal);
    }
    if ('hang' in spec) {
      await aborted(signal);
      throw new UpstreamNetworkError('aborted', 'aborted');
    }
    if ('network' in spec) {
      if (spec.afterMs) {
        try {
          await this.clock.sleep(spec.afterMs, signal);
        } catch {
          throw new UpstreamNetworkError('aborted', 'aborted');
        }
      }
      throw new UpstreamNetworkError(spec.network, `models.github.ai: ${spec.network}`);
    }
    return { status: spec.status, headers: { ...(spec.headers ?? {}) }, body: Readable.from([Buffer.from(spec.body ?? '')]) };
  }

  async getUser(token: string): Promise<GitHubUser> {
    this.userCalls.push(token);
    const user = this.users.get(token);
    if (!user) throw new UpstreamHttpError(401, { status: 401, code: 'unauthorized', message: 'Bad credentials' });
    if (user instanceof Error) throw user;
    return user;
  }

  async listCatalog(): Promise<CatalogModel[]> {
    return [];
  }

  async close(): Promise<void> {}
}

function aborted(signal: AbortSignal): Promise<never> {
  return new Promise<never>((_, reject) => {
    if (signal.aborted) reject(new UpstreamNetworkError('aborted', 'aborted'));
    signal.addEventListener('abort', () => reject(new UpstreamNetworkError('aborted', 'aborted')), { once: true });
  });
}
