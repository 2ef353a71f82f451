import { z } from 'zod';
import type { CatalogModel } from './types';

/** A field that is dropped (not fatal) when it has an unexpected shape. */
const optional = <T extends z.ZodType>(schema: T) => schema.optional().catch(undefined);
const strings = optional(z.array(z.string()));

const entrySchema = z.looseObject({
  id: z.string().trim().min(1),
  name: optional(z.string()),
  publisher: optional(z.string()),
  registry: optional(z.string()),
  summary: optional(z.string()),
  version: optional(z.string()),
  capabilities: strings,
  limits: optional(
    z.looseObject({
      max_input_tokens: optional(z.number()),
      max_output_tokens: optional(z.number().nullable()),
    }),
  ),
  rate_limit_tier: optional(z.string()),
  supported_input_modalities: strings,
  supported_output_modalities: strings,
  tags: strings,
});

export class CatalogFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CatalogFormatError';
  }
}

/**
 * Validates GET /catalog/models loosely: a bare array (a `{data: [...]}` wrapper is tolerated),
 * entries without an id are skipped, odd optional fields dropped, unknown fields kept.
 */
export function parseCatalogModels(json: unknown): CatalogModel[] {
  const list = Array.isArray(json) ? json : (json as { data?: unknown } | null)?.data;
  if (!Array.isArray(list)) throw new CatalogFormatError('catalog answer is not a JSON array');
  const models: CatalogModel[] = [];
  for (const item of list) {
    const parsed = entrySchema.safeParse(item);
    if (!parsed.success) continue;
    const { id, name, publisher, ...rest } = parsed.data;
    const fallbackPublisher = id.includes('/') ? id.slice(0, id.indexOf('/')) : '';
    models.push({ id, name: name ?? id, publisher: publisher ?? fallbackPublisher, ...rest } as CatalogModel);
  }
  return models;
}
