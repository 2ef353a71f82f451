import { createRequire } from 'node:module';
import type { FastifyServerOptions } from 'fastify';

/**
 * Fastify's JSON-schema compilers (ajv for validation, fast-json-stringify for serialization),
 * built only when a route declares a JSON schema. Switchyard's routes check bodies with zod and
 * declare none, yet Fastify's default loads both at construction: ≈ 100 ajv modules before the
 * first /health. These factories load Fastify's own defaults (resolved from Fastify's package)
 * the first time one is needed. One difference if a schema is ever added: Fastify then treats
 * the validator as custom, so it does not lower-case `headers` schema keys itself.
 */
type Compilers = NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>;
type Factory = (...args: unknown[]) => unknown;

const fromFastify = () => createRequire(createRequire(import.meta.url).resolve('fastify'));

export const lazySchemaCompilers: Compilers = {
  buildValidator: ((...args: unknown[]) => (fromFastify()('@fastify/ajv-compiler') as () => Factory)()(...args)) as Compilers['buildValidator'],
  buildSerializer: ((...args: unknown[]) => (fromFastify()('@fastify/fast-json-stringify-compiler') as () => Factory)()(...args)) as Compilers['buildSerializer'],
};
