import type { SimContext } from './context';
import type { Exchange } from './exchange';
import type { FaultAction } from './faults';
import { sendApiUnauthorized, sendForbidden, sendNotFound, sendRetired, sendServerError } from './replies';

/** GET /user (the GitHub REST API) and GET /catalog/models. Only scripted faults reach them. */

export async function handleUser(ctx: SimContext, x: Exchange): Promise<void> {
  const user = ctx.users.authenticate(x.req.headers);
  if (user) x.login = user.login;
  if (await faultGate(ctx, x, user?.login ?? null)) return;
  if (!user) return sendApiUnauthorized(x);
  const body = {
    login: user.login,
    id: user.id,
    node_id: `U_sim${user.id}`,
    avatar_url: user.avatarUrl,
    html_url: `https://github.com/${user.login}`,
    type: 'User',
    site_admin: false,
    name: null,
  };
  x.send(200, { 'content-type': 'application/json; charset=utf-8' }, JSON.stringify(body));
}

export async function handleCatalog(ctx: SimContext, x: Exchange): Promise<void> {
  const user = ctx.users.authenticate(x.req.headers);
  if (await faultGate(ctx, x, user?.login ?? null)) return;
  if (ctx.settings.githubRetired) return sendRetired(x);
  x.send(200, { 'content-type': 'application/json' }, ctx.models.json);
}

export function handleUnknown(x: Exchange): void {
  sendNotFound(x);
}

/** Plays a scripted fault; true when the request is answered (or gone) and the handler must stop. */
async function faultGate(ctx: SimContext, x: Exchange, login: string | null): Promise<boolean> {
  const fault = ctx.faults.next({ endpoint: x.endpoint, login, model: null });
  if (!fault) return false;
  x.fault = fault.kind;
  if (fault.kind === 'slow') return !(await x.delay(fault.delayMs));
  playFault(x, fault);
  return true;
}

function playFault(x: Exchange, fault: Exclude<FaultAction, { kind: 'slow' }>): void {
  switch (fault.kind) {
    case '5xx':
      return sendServerError(x, fault.status, fault.html);
    case 'reset':
      return x.reset();
    case 'hang':
      return;
    case '401':
      return sendApiUnauthorized(x);
    case '403':
      return sendForbidden(x);
    case '429':
      return x.send(429, { 'content-type': 'application/json', 'retry-after': String(fault.seconds) }, JSON.stringify({ message: 'API rate limit exceeded' }));
  }
}
