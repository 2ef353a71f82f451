import type { EngineEvent } from '../../shared/events';
import type { ServeProcess } from './serve';

/** Reads the engine's events through the admin API, as the CLI would. */
export async function adminEvents(server: ServeProcess, kind?: string): Promise<EngineEvent[]> {
  const query = kind ? `?kind=${encodeURIComponent(kind)}` : '';
  const response = await fetch(`${server.origin}/admin/api/events${query}`, { headers: { Authorization: `Bearer ${server.adminKey}` } });
  if (!response.ok) throw new Error(`GET /admin/api/events answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as EngineEvent[];
}
