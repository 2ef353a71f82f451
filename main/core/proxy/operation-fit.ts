import { ProxyError } from '../errors';
import { providerFor } from '../providers/index';
import type { Operation } from '../providers/types';
import type { LiveTarget } from '../routes';
import type { ModelPlan } from './model-plan';

/** What a model does, in words: "chat", "embeddings", "chat and embeddings", "neither chat nor embeddings". */
function doesWords(target: LiveTarget): string {
  const ops = target.entry.operations;
  if (ops.includes('chat') && ops.includes('embeddings')) return 'chat and embeddings';
  if (ops.includes('embeddings')) return 'embeddings only (it is an embedding model)';
  if (ops.includes('chat')) return 'chat only (it is not an embedding model)';
  return 'neither chat nor embeddings';
}

const ASKED: Record<Operation, { words: string; endpoint: string; code: string }> = {
  chat: { words: 'chat', endpoint: '/v1/chat/completions (and /v1/responses, /v1/messages)', code: 'model_not_chat' },
  embeddings: { words: 'embeddings', endpoint: '/v1/embeddings', code: 'model_not_embedding' },
};

/**
 * Keeps the targets whose catalog says they do what was asked (embeddings go only to models that
 * embed, chat only to models that chat; DESIGN.md). When none does, the client's error: a 400 in
 * OpenAI's dialect naming the model and what it does, before anything is sent upstream. GitHub
 * Models' plans are left to its own catalog.
 */
export function fitOperation(plan: ModelPlan, operation: Operation): ModelPlan {
  if (plan.kind !== 'providers') return plan;
  const targets = plan.plan.targets.filter((t) => t.entry.operations.includes(operation));
  if (targets.length === plan.plan.targets.length) return plan;
  if (targets.length > 0) return { kind: 'providers', plan: { ...plan.plan, targets } };
  const asked = ASKED[operation];
  const named = plan.plan.targets.map((t) => `${t.provider}/${t.entry.id} (${providerFor(t.provider).name}) does ${doesWords(t)}`).join('; ');
  const what = plan.plan.route ? `Route '${plan.plan.requested}' has no target that does ${asked.words}: ` : `The model '${plan.plan.requested}' cannot serve ${asked.words}: `;
  throw new ProxyError(400, 'invalid_request_error', `${what}${named}. Send ${asked.words} requests to ${asked.endpoint} with a model that does ${asked.words}; GET /v1/models lists them.`, {
    code: asked.code,
    param: 'model',
  });
}
