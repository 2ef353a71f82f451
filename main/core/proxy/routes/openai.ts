import type { FastifyInstance } from 'fastify';
import type { ProxyDeps } from '../deps';
import { handleInference } from '../inference';

/** The OpenAI-compatible surface: chat completions, embeddings, models. */
export async function openaiRoutes(app: FastifyInstance, deps: ProxyDeps): Promise<void> {
  app.post('/v1/chat/completions', (request, reply) => handleInference('chat', request, reply, deps));
  app.post('/v1/embeddings', (request, reply) => handleInference('embeddings', request, reply, deps));
  app.get('/v1/models', async () => {
    const created = Math.floor(deps.startedAt / 1000);
    return {
      object: 'list',
      data: deps
        .catalog()
        .list()
        .map((model) => ({ id: model.id, object: 'model', created, owned_by: model.publisher, name: model.name })),
    };
  });
}
