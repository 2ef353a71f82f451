import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { Clock } from '../clock';

const LEADING_ROLES = new Set(['system', 'developer']);

type Message = { role?: unknown; content?: unknown };
const roleOf = (message: unknown): unknown => (typeof message === 'object' && message !== null ? (message as Message).role : undefined);

/**
 * The conversation a chat body belongs to: a hash of the route name, the leading system (or
 * developer) messages and the first user message: the messages every later turn repeats. Null
 * when the body opens with anything else, or has no user message to tell conversations apart.
 */
export function conversationKey(route: string, body: Record<string, unknown>): string | null {
  const messages: unknown[] = Array.isArray(body.messages) ? body.messages : [];
  const opening: Array<[unknown, unknown]> = [];
  for (const message of messages) {
    const role = roleOf(message);
    opening.push([role, (message as Message).content ?? null]);
    if (typeof role === 'string' && LEADING_ROLES.has(role)) continue;
    if (role !== 'user') return null;
    return createHash('sha256').update(JSON.stringify([route.toLowerCase(), opening])).digest('base64url');
  }
  return null;
}

export interface StickinessOptions {
  /** Conversations remembered at most; the least recently used go first. */
  max?: number;
  /** A conversation unheard of for this long starts afresh. */
  ttlMs?: number;
}

/**
 * Which target served each conversation, so its next turns go there while it can serve. Bounded
 * (LRU) and forgetful (TTL on the engine's clock). Holds hashes and target ids only, no text.
 */
export class ConversationStickiness {
  private readonly cache: LRUCache<string, string>;

  constructor(clock: Clock, options: StickinessOptions = {}) {
    this.cache = new LRUCache<string, string>({
      max: options.max ?? 10_000,
      ttl: options.ttlMs ?? 30 * 60_000,
      updateAgeOnGet: true,
      // Read the engine's clock at every check (the default caches it on a real timer).
      ttlResolution: 0,
      perf: { now: () => clock.now() },
    });
  }

  /** The `{provider}/{model}` that last served the conversation, if still remembered. */
  preferred(key: string | null): string | null {
    return key === null ? null : (this.cache.get(key) ?? null);
  }

  remember(key: string | null, target: string): void {
    if (key !== null) this.cache.set(key, target);
  }

  get size(): number {
    return this.cache.size;
  }
}
