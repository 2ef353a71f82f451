import type { Mirror } from './mirror';
import type { QuotaEvent } from './options';

/**
 * The event stream every replica shares: each script publishes its change on the channel (and
 * appends it to a capped stream, the history). A change heard here re-reads that owner into the
 * local copy first, then tells the listeners (the dashboard's feed, the pool's waiting requests).
 */
export class EventFeed {
  private readonly listeners = new Set<(event: QuotaEvent) => void>();

  constructor(private readonly mirror: Mirror) {}

  onEvent(listener: (event: QuotaEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** A message on the channel. */
  heard(message: string): void {
    let event: QuotaEvent;
    try {
      event = JSON.parse(message) as QuotaEvent;
    } catch {
      return;
    }
    const { mirror } = this;
    if (event.kind === 'merge' && event.model && event.model !== event.owner) {
      mirror.touch(event.model);
      mirror.local.ledger.merge(event.model, event.owner, event.at);
    }
    // Listeners hear of a change once the local copy shows it.
    const tell = () => {
      for (const listener of this.listeners) listener(event);
    };
    if (mirror.conn.online) void mirror.refreshOwners([event.owner], false).catch(() => undefined).finally(tell);
    else tell();
  }

  /** The latest shared events, oldest first (the stream keeps about `eventsKept`). */
  async history(count: number): Promise<(QuotaEvent & { id: string })[]> {
    const rows = await this.mirror.conn.client.xrevrange(this.mirror.keys.events, '+', '-', 'COUNT', count);
    return rows.reverse().map(([id, fields]) => ({ ...(JSON.parse(fields[1] ?? '{}') as QuotaEvent), id }));
  }
}
