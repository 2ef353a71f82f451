import { z } from 'zod';
import type { Operation, ProviderModel } from './types';

const optional = <T extends z.ZodType>(schema: T) => schema.optional().catch(undefined);

const entrySchema = z.looseObject({
  id: z.string().trim().min(1),
  context_window: optional(z.number()),
  context_length: optional(z.number()),
  active: optional(z.boolean()),
});

export class ProviderCatalogError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProviderCatalogError';
  }
}

/** Speech, transcription and image models: neither chat nor embeddings, so not served. */
const NEITHER = /whisper|\btts\b|-tts|playai|transcribe|speech|dall-e|gpt-image|stable-diffusion|flux/i;

/**
 * What an id suggests it does, when the listing does not say: embedding models name themselves;
 * speech and image models do neither.
 */
export function operationsFromId(id: string): Operation[] {
  if (/embed/i.test(id)) return ['embeddings'];
  return NEITHER.test(id) ? [] : ['chat'];
}

/** OpenRouter's `supported_parameters` and `architecture.input_modalities`, when a listing has them. */
function capabilitiesOf(item: unknown): Pick<ProviderModel, 'capabilities'> {
  const entry = item as { supported_parameters?: unknown; architecture?: { input_modalities?: unknown } };
  const parameters = Array.isArray(entry.supported_parameters) ? entry.supported_parameters : null;
  const inputs = Array.isArray(entry.architecture?.input_modalities) ? entry.architecture.input_modalities : null;
  if (!parameters && !inputs) return {};
  return {
    capabilities: {
      ...(parameters ? { tools: parameters.includes('tools'), jsonSchema: parameters.includes('structured_outputs') } : {}),
      ...(inputs ? { vision: inputs.includes('image') } : {}),
    },
  };
}

/**
 * An OpenAI-shaped models list (`{"object":"list","data":[{"id":…}]}`), loosely: entries without
 * an id are skipped, inactive ones (Groq's `active: false`) dropped. `normalize` maps the listed
 * id to the one clients use (Gemini drops `models/`).
 */
export function parseOpenAiModelList(json: unknown, normalize: (id: string) => string = (id) => id): ProviderModel[] {
  const list = (json as { data?: unknown } | null)?.data;
  if (!Array.isArray(list)) throw new ProviderCatalogError('the models list has no "data" array');
  const models: ProviderModel[] = [];
  for (const item of list) {
    const parsed = entrySchema.safeParse(item);
    if (!parsed.success || parsed.data.active === false) continue;
    const upstreamId = parsed.data.id;
    const operations = operationsFromId(upstreamId);
    if (operations.length === 0) continue;
    const contextWindow = parsed.data.context_window ?? parsed.data.context_length;
    models.push({
      id: normalize(upstreamId),
      upstreamId,
      operations,
      ...(capabilitiesOf(item)),
      ...(contextWindow !== undefined ? { contextWindow } : {}),
    });
  }
  return models;
}

const bundledSchema = z.array(
  z.object({
    id: z.string().min(1),
    upstreamId: z.string().min(1).optional(),
    operations: z.array(z.enum(['chat', 'embeddings'])).optional(),
    contextWindow: z.number().optional(),
    tools: z.boolean().optional(),
  }),
);

/** A bundled snapshot (catalogs/*.json: the model tables of providers.md) as provider models. */
export function bundledModels(json: unknown): ProviderModel[] {
  return bundledSchema.parse(json).map((entry) => ({
    id: entry.id,
    upstreamId: entry.upstreamId ?? entry.id,
    operations: entry.operations ?? operationsFromId(entry.id),
    ...(entry.tools !== undefined ? { capabilities: { tools: entry.tools } } : {}),
    ...(entry.contextWindow !== undefined ? { contextWindow: entry.contextWindow } : {}),
  }));
}

/** Client ids are matched case-insensitively, trimmed, without leading slashes. */
export function normalizeId(id: string): string {
  return id.trim().replace(/^\/+/, '').toLowerCase();
}
