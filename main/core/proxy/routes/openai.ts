import type { FastifyInstance } from 'fastify';
import type { ProxyDeps } from '../deps';
import { anthropicModelList } from '../dialects/anthropic-models';
import { createDialects } from '../dialects';
import { countTokensRoute } from '../dialects/messages';
import { assertProxyRunning, handleInference } from '../inference';

/** The client APIs: one POST route per dialect path (chat, embeddings, Responses, Messages), count_tokens, and the model list. */
export async function openaiRoutes(app: FastifyInstance, deps: ProxyDeps): Promise<void> {
  for (const dialect of createDialects()) {
    for (const path of dialect.paths) {
      app.post(path, { config: { errorShape: dialect.errors.name } }, (request, reply) => handleInference(dialect, request, reply, deps));
    }
  }
  countTokensRoute(app, () => assertProxyRunning(deps));
  app.get('/v1/models', async (request) => {
    if (request.headers['anthropic-version']) return anthropicModelList(deps.catalog(), deps.settings(), deps.startedAt);
    const created = Math.floor(deps.startedAt / 1000);
    const github = deps.catalog().list().map((model) => ({ id: model.id, object: 'model', created, owned_by: model.publisher, name: model.name }));
    // Every served `{provider}/{model}` of the other providers, and every route name.
    const table = deps.routing?.()?.table() ?? null;
    const others = table
      ? [
          ...table.targetIds().map((id) => ({ id, object: 'model', created, owned_by: id.slice(0, id.indexOf('/')), name: id })),
          ...table.modelIds().map((id) => ({ id, object: 'model', created, owned_by: 'switchyard-route', name: id })),
        ]
      : [];
    return { object: 'list', data: [...github, ...others] };
  });
}
