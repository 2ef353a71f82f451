import { distance } from 'fastest-levenshtein';
import type { CatalogModel } from '../upstream/types';

export type ModelResolution = { ok: true; model: CatalogModel } | { ok: false; suggestions: string[] };

/** The models known now, and how a client's model id maps onto one of them. */
export interface ModelCatalog {
  /** `gpt-4o-mini`, `openai/gpt-4o-mini`, `OpenAI/GPT-4o-Mini`, ` gpt-4o-mini ` → openai/gpt-4o-mini. */
  resolve(clientId: string): ModelResolution;
  /** Every model, in catalog order (for /v1/models). */
  list(): CatalogModel[];
}

const MAX_SUGGESTIONS = 5;
/** Publisher preferred when a bare name exists under several publishers. */
const PREFERRED_PUBLISHER = 'openai';

/** Trimmed, lower-cased, without leading slashes (`/gpt-4.1` appears in upstream errors). */
export function normalizeModelId(raw: string): string {
  return raw.trim().replace(/^\/+/, '').toLowerCase();
}

/** The part after the publisher: `openai/gpt-4o-mini` → `gpt-4o-mini`. */
export function bareName(id: string): string {
  const slash = id.lastIndexOf('/');
  return slash === -1 ? id : id.slice(slash + 1);
}

function publisherOf(id: string): string {
  const slash = id.indexOf('/');
  return slash === -1 ? '' : id.slice(0, slash).toLowerCase();
}

/**
 * Up to five catalog ids close to what the client asked for: small edit distance on the bare
 * name (or the full id when a publisher was given), or one containing the other.
 */
export function suggestModelIds(query: string, models: readonly CatalogModel[], max = MAX_SUGGESTIONS): string[] {
  const wanted = normalizeModelId(query);
  if (wanted === '') return [];
  const withPublisher = wanted.includes('/');
  const wantedName = bareName(wanted);
  const scored: Array<{ id: string; score: number; order: number }> = [];
  models.forEach((model, order) => {
    const name = bareName(model.id).toLowerCase();
    const full = model.id.toLowerCase();
    const score = Math.min(distance(wantedName, name), withPublisher ? distance(wanted, full) : Infinity);
    const close = score <= Math.max(2, Math.floor(wantedName.length / 4));
    const contains = (wantedName.length >= 3 && name.includes(wantedName)) || (name.length >= 3 && wantedName.includes(name));
    if (close || contains) scored.push({ id: model.id, score, order });
  });
  scored.sort((a, b) => a.score - b.score || a.order - b.order);
  return scored.slice(0, max).map((entry) => entry.id);
}

export function createModelCatalog(models: readonly CatalogModel[]): ModelCatalog {
  const entries = [...models];
  const byId = new Map<string, CatalogModel>();
  const byName = new Map<string, CatalogModel>();
  for (const model of entries) {
    const id = model.id.toLowerCase();
    if (!byId.has(id)) byId.set(id, model);
    const name = bareName(id);
    const held = byName.get(name);
    if (!held || (publisherOf(held.id) !== PREFERRED_PUBLISHER && publisherOf(id) === PREFERRED_PUBLISHER)) byName.set(name, model);
  }

  return {
    resolve(clientId) {
      const wanted = normalizeModelId(clientId);
      const model = wanted.includes('/') ? byId.get(wanted) : byName.get(wanted);
      if (model) return { ok: true, model };
      // Read only when the miss becomes a 404: a request for another provider's model misses here
      // on every request, and the edit distances over the whole catalog cost more than the rest of choosing.
      let suggestions: string[] | undefined;
      return {
        ok: false,
        get suggestions() {
          return (suggestions ??= suggestModelIds(clientId, entries));
        },
      };
    },
    list: () => [...entries],
  };
}
