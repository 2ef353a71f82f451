import type { ProviderUpstream } from './provider-upstream';
import type { UpstreamClient } from './types';

/**
 * The one upstream the pool sends through: GitHub Models' accounts go to its own client (its
 * paths, /user and catalog), every other provider's through its descriptor (provider-upstream.ts).
 */
export function compositeUpstream(github: UpstreamClient, providers: ProviderUpstream): UpstreamClient {
  return {
    send(kind, token, body, signal, stream, target, parsed) {
      if (!target || target.provider === 'github') return github.send(kind, token, body, signal, stream);
      return providers.send(kind, { provider: target.provider, ...target.creds }, body, signal, stream, parsed);
    },
    getUser: (token, signal) => github.getUser(token, signal),
    listCatalog: (token, signal) => github.listCatalog(token, signal),
    identify: (target, signal) => (target.provider === 'github' ? Promise.resolve(null) : providers.identify({ provider: target.provider, ...target.creds }, signal)),
    async close() {
      await Promise.all([github.close(), providers.close()]);
    },
  };
}
