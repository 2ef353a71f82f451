import type { ChatMessage } from './chat-shapes';

/** How many stored responses one process keeps (oldest forgotten first). */
export const STORED_RESPONSES = 500;

/**
 * The conversations of recent responses created with `store: true`, so that a follow-up can send
 * `previous_response_id` instead of the whole history. In this process only, bounded, never on disk.
 */
export class ResponseStore {
  private readonly entries = new Map<string, ChatMessage[]>();

  constructor(private readonly capacity = STORED_RESPONSES) {}

  /** The conversation up to and including that response's output, or null when not kept. */
  get(id: string): ChatMessage[] | null {
    return this.entries.get(id) ?? null;
  }

  put(id: string, conversation: ChatMessage[]): void {
    this.entries.delete(id);
    this.entries.set(id, conversation);
    while (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string);
  }

  get size(): number {
    return this.entries.size;
  }
}
