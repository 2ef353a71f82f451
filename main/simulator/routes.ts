/** Which simulator endpoint a request is for. Paths ignore the query string (e.g. `api-version`). */
export type Endpoint = 'chat' | 'embeddings' | 'catalog' | 'user' | 'unknown';

const CHAT = /^\/(?:orgs\/[^/]+\/)?inference\/chat\/completions\/?$/;
const EMBEDDINGS = /^\/(?:orgs\/[^/]+\/)?inference\/embeddings\/?$/;

export function routeOf(method: string | undefined, url: string | undefined): Endpoint {
  const path = (url ?? '/').split('?')[0] ?? '/';
  if (method === 'POST') {
    if (CHAT.test(path)) return 'chat';
    if (EMBEDDINGS.test(path)) return 'embeddings';
  }
  if (method === 'GET' || method === 'HEAD') {
    if (path === '/catalog/models' || path === '/catalog/models/') return 'catalog';
    if (path === '/user' || path === '/user/') return 'user';
  }
  return 'unknown';
}
