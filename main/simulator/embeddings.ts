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

export function replyEmbeddings(
  ctx: SimContext,
  x: Exchange,
  body: EmbeddingsRequest,
  inputs: string[],
  model: CatalogEntry,
  resetMidResponse: boolean,
): void {
  const asked = body.dimensions;
  const dims = typeof asked === 'number' && Number.isInteger(asked) && asked > 0 && asked <= 4096 ? asked : ctx.settings.embeddingDims;
  const tokens = inputs.reduce((sum, text) => sum + estimateTokens(text), 0);
  const reply = {
    object: 'list',
    data: inputs.map((text, index) => ({ object: 'embedding', index, embedding: embeddingVector(text, dims) })),
    model: model.id,
    usage: { prompt_tokens: tokens, total_tokens: tokens },
  };
  const headers = { ...ctx.okHeaders(ctx.nextId('emb')), 'content-type': 'application/json' };
  const json = JSON.stringify(reply);
  if (resetMidResponse) sendCutShort(x, 200, headers, json);
  else x.send(200, headers, json);
}
