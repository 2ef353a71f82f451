import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ADMIN_ROUTES } from '../../../../shared/admin-routes';
import {
  accountPatchSchema,
  addAccountSchema,
  eventSearchSchema,
  reorderBodySchema,
  resetTargetSchema,
  settingsPatchSchema,
} from '../../../../shared/admin-schema';
import type { Engine } from '../../engine-types';
import { createRedactor, type Redactor } from '../../mask';
import { accountIdSchema } from '../../state/account-id';
import { SnapshotFeed } from '../../runtime/snapshot-feed';
import { checkAdmin, parseBody } from '../guards';
import { streamToClient } from './admin-stream';

/** The shared schema, with account names held to the rule safe for map keys (no prototype names). */
const addAccountBody = addAccountSchema.safeExtend({ key: accountIdSchema.optional() });

const emptyOk = (reply: FastifyReply) => reply.code(204).send();
const keyParam = (request: FastifyRequest) => parseBody(z.object({ key: accountIdSchema }), request.params).key;

/** The admin HTTP API (shared/admin-routes.ts): the headless dashboard's and the CLI's transport. */
export async function adminRoutes(app: FastifyInstance, deps: { engine: Engine; adminKey: string; redactor?: Redactor }): Promise<void> {
  const redactor = deps.redactor ?? createRedactor();
  const { engine } = deps;
  app.addHook('onRequest', async (request) => checkAdmin(request, deps.adminKey, request.routeOptions.url === ADMIN_ROUTES.stream.path));

  app.get(ADMIN_ROUTES.snapshot.path, async () => engine.snapshot());
  app.get(ADMIN_ROUTES.events.path, async (request) => {
    const query = parseBody(eventSearchSchema, request.query ?? {});
    return engine.getEvents({ limit: query.limit, account: query.account ?? query.key, kind: query.kind });
  });
  app.get(ADMIN_ROUTES.getSettings.path, async () => engine.getSettings());
  app.patch(ADMIN_ROUTES.updateSettings.path, async (request) => engine.updateSettings(parseBody(settingsPatchSchema, request.body)));
  app.post(ADMIN_ROUTES.addAccount.path, async (request) => engine.addAccount(parseBody(addAccountBody, request.body)));
  app.post(ADMIN_ROUTES.importFromGh.path, async () => engine.importFromGh());
  app.get(ADMIN_ROUTES.listAccounts.path, async () => engine.listAccounts());
  app.put(ADMIN_ROUTES.reorderAccounts.path, async (request, reply) => {
    await engine.reorderAccounts(parseBody(reorderBodySchema, request.body).keys);
    return emptyOk(reply);
  });
  app.patch(ADMIN_ROUTES.updateAccount.path, async (request, reply) => {
    await engine.updateAccount(keyParam(request), parseBody(accountPatchSchema, request.body));
    return emptyOk(reply);
  });
  app.delete(ADMIN_ROUTES.removeAccount.path, async (request, reply) => {
    await engine.removeAccount(keyParam(request));
    return emptyOk(reply);
  });
  app.post(ADMIN_ROUTES.reset.path, async (request) => engine.reset(parseBody(resetTargetSchema, request.body ?? {})));
  app.post(ADMIN_ROUTES.startProxy.path, async (_request, reply) => {
    await engine.startProxy();
    return emptyOk(reply);
  });
  app.post(ADMIN_ROUTES.stopProxy.path, async (_request, reply) => {
    await engine.stopProxy();
    return emptyOk(reply);
  });
  app.post(ADMIN_ROUTES.generateApiKey.path, async () => engine.generateApiKey());
  app.delete(ADMIN_ROUTES.clearApiKey.path, async (_request, reply) => {
    await engine.clearApiKey();
    return emptyOk(reply);
  });
  const streams = new Set<() => void>();
  // One feed for every dashboard and `watch` on this server: each push is serialized and redacted once.
  const feed = new SnapshotFeed(engine, (text) => redactor.redact(text));
  app.addHook('preClose', async () => {
    for (const end of [...streams]) end();
  });
  app.get(ADMIN_ROUTES.stream.path, (request, reply) => streamToClient(feed, request, reply, streams));
}
