import type { SimContext } from './context';
import { embeddingVector, estimateTokens } from './content';
import type { Exchange } from './exchange';
import type { CatalogEntry } from './options';
import { sendCutShort } from './replies';

export interface EmbeddingsRequest {
  input?: unknown;
  dimensions?: unknown;
}

/** The inputs of an embeddings request (a string or an array of strings); null when malformed. */
export function embeddingInputs(input: unknown): string[] | null {
  if (typeof input === 'string') return [input];
  if (Array.isArray(input) && input.length > 0 && input.every((i) => typeof i === 'string')) return input as string[];
  return null;
}

/** The `dimensions` a request asks for when sane (1–4096), else `fallback`. */
export function dimensionsOf(asked: unknown, fallback: number): number {
  return typeof asked === 'number' && Number.isInteger(asked) && asked > 0 && asked <= 4096 ? asked : fallback;
}

/** An OpenAI-shaped embeddings list: one deterministic unit vector per input. */
export function embeddingsBody(inputs: string[], model: string, dims: number) {
  const tokens = inputs.reduce((sum, text) => sum + estimateTokens(text), 0);
  return {
    object: 'list',
    data: inputs.map((text, index) => ({ object: 'embedding', index, embedding: embeddingVector(text, dims) })),
    model,
    usage: { prompt_tokens: tokens, total_tokens: tokens },
  };
}

export function replyEmbeddings(
  ctx: SimContext,
  x: Exchange,
  body: EmbeddingsRequest,
  inputs: string[],
  model: CatalogEntry,
  resetMidResponse: boolean,
): void {
  const reply = embeddingsBody(inputs, model.id, dimensionsOf(body.dimensions, ctx.settings.embeddingDims));
  const headers = { ...ctx.okHeaders(ctx.nextId('emb')), 'content-type': 'application/json' };
  const json = JSON.stringify(reply);
  if (resetMidResponse) sendCutShort(x, 200, headers, json);
  else x.send(200, headers, json);
}
