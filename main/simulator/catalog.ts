import snapshot from '../core/limits/catalog-snapshot.json';
import type { CatalogEntry } from './options';

/** The bundled catalog snapshot, served at /catalog/models unless overridden. */
export const DEFAULT_CATALOG: readonly CatalogEntry[] = snapshot as CatalogEntry[];

/**
 * Models the simulator knows, looked up like upstream does: only prefixed ids
 * (`openai/gpt-4o-mini`), case-insensitively. A bare id (`gpt-4o-mini`) is unknown.
 */
export class ModelIndex {
  private readonly byId = new Map<string, CatalogEntry>();
  readonly json: string;

  constructor(readonly entries: readonly CatalogEntry[] = DEFAULT_CATALOG) {
    for (const entry of entries) this.byId.set(entry.id.toLowerCase(), entry);
    this.json = JSON.stringify(entries);
  }

  find(id: string): CatalogEntry | null {
    if (!id.includes('/')) return null;
    return this.byId.get(id.toLowerCase()) ?? null;
  }
}

/** Whether `entry` is in a user's forbidden list (entries may be prefixed or bare, any case). */
export function isForbidden(entry: CatalogEntry, forbidden: readonly string[] | undefined): boolean {
  if (!forbidden?.length) return false;
  const id = entry.id.toLowerCase();
  const name = id.split('/').pop() ?? id;
  return forbidden.some((f) => {
    const lower = f.toLowerCase();
    return lower === id || lower === name;
  });
}
