import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { lazySchemaCompilers } from './schema-compilers';

describe('lazySchemaCompilers', () => {
  it("still validates and serializes with Fastify's own compilers when a route declares a JSON schema", async () => {
    const app = Fastify({ schemaController: { compilersFactory: lazySchemaCompilers } });
    app.post(
      '/echo',
      {
        schema: {
          body: { type: 'object', required: ['n'], properties: { n: { type: 'integer' } } },
          response: { 200: { type: 'object', properties: { n: { type: 'integer' } } } },
        },
      },
      async (request) => ({ ...(request.body as object), extra: 'dropped by the response schema' }),
    );
    try {
      const bad = await app.inject({ method: 'POST', url: '/echo', payload: { n: 'x' } });
      expect(bad.statusCode).toBe(400);
      const good = await app.inject({ method: 'POST', url: '/echo', payload: { n: 3 } });
      expect(good.statusCode).toBe(200);
      expect(good.json()).toEqual({ n: 3 });
    } finally {
      await app.close();
    }
  });
});
