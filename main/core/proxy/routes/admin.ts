import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ADMIN_ROUTES } from '../../../../shared/admin-routes';
import { PLANS } from '../../../../shared/domain';
import type { EventKind } from '../../../../shared/events';
import { settingsPatchSchema } from '../../../../shared/settings';
import type { Engine } from '../../engine-types';
import { createRedactor, type Redactor } from '../../mask';
import { accountIdSchema } from '../../state/account-id';
import { checkAdmin } from '../admin-auth';
import { parseBody } from '../request-schemas';
import { streamToClient } from './admin-stream';

const addAccountSchema = z.object({ token: z.string().trim().min(1, 'Paste a GitHub token.').max(400), plan: z.enum(PLANS).optional(), key: accountIdSchema.optional() }).strict();
const accountPatchSchema = z.object({ plan: z.enum(PLANS).optional(), disabled: z.boolean().optional() }).strict();
const reorderSchema = z.object({ keys: z.array(accountIdSchema).min(1) }).strict();
const resetSchema = z.object({ account: accountIdSchema.optional(), model: z.string().min(1).optional() }).strict();
const eventsQuerySchema = z.object({ limit: z.coerce.number().int().min(1).max(5000).optional(), account: z.string().optional(), kind: z.string().optional(), key: z.string().optional() });

const emptyOk = (reply: FastifyReply) => reply.code(204).send();
const keyParam = (request: FastifyRequest) => parseBody(z.object({ key: accountIdSchema }), request.params).key;

/** The admin HTTP API (shared/admin-routes.ts): the headless dashboard's and the CLI's transport. */
export async function adminRoutes(app: FastifyInstance, deps: { engine: Engine; adminKey: string; redactor?: Redactor }): Promise<void> {
  const redactor = deps.redactor ?? createRedactor();
  const { engine } = deps;
  app.addHook('onRequest', async (request) => checkAdmin(request, deps.adminKey, request.routeOptions.url === ADMIN_ROUTES.stream.path));

  app.get(ADMIN_ROUTES.snapshot.path, async () => engine.snapshot());
  app.get(ADMIN_ROUTES.events.path, async (request) => {
    const query = parseBody(eventsQuerySchema, request.query ?? {});
    return engine.getEvents({ limit: query.limit, account: query.account, kind: query.kind as EventKind | undefined });
  });
  app.get(ADMIN_ROUTES.getSettings.path, async () => engine.getSettings());
  app.patch(ADMIN_ROUTES.updateSettings.path, async (request) => engine.updateSettings(parseBody(settingsPatchSchema, request.body)));
  app.post(ADMIN_ROUTES.addAccount.path, async (request) => engine.addAccount(parseBody(addAccountSchema, request.body)));
  app.post(ADMIN_ROUTES.importFromGh.path, async () => engine.importFromGh());
  app.get(ADMIN_ROUTES.listAccounts.path, async () => engine.listAccounts());
  app.put(ADMIN_ROUTES.reorderAccounts.path, async (request, reply) => {
    await engine.reorderAccounts(parseBody(reorderSchema, request.body).keys);
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
  app.post(ADMIN_ROUTES.reset.path, async (request) => engine.reset(parseBody(resetSchema, request.body ?? {})));
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
  app.addHook('preClose', async () => {
    for (const end of [...streams]) end();
  });
  app.get(ADMIN_ROUTES.stream.path, (request, reply) => streamToClient(engine, request, reply, streams, redactor));
}
