import { networkInterfaces } from 'node:os';
import { hostName, isLoopbackName } from './guards';

/** Whether a listen host reaches beyond this machine (0.0.0.0, ::, a LAN address, a host name). */
export function listensBeyondLoopback(host: string): boolean {
  const bracketed = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return !isLoopbackName(hostName(bracketed));
}

/** Listening beyond loopback with no client key: the one unsafe configuration, in plain words (null when safe). */
export function exposureWarning(host: string, apiKey: string | null, insecureNoClientKey: boolean): string | null {
  if (!listensBeyondLoopback(host) || apiKey) return null;
  return insecureNoClientKey
    ? `Switchyard listens on ${host} with no client key (--insecure-no-client-key / SWITCHYARD_INSECURE_NO_CLIENT_KEY): anyone who can reach this machine can use its accounts. Set SWITCHYARD_API_KEY, or listen on 127.0.0.1.`
    : `Switchyard listens on ${host} with no client key: requests from other machines are refused. Set SWITCHYARD_API_KEY (or generate a key in Settings) to serve them.`;
}

/** The URLs a listener on `host:port` answers at: every interface address for a wildcard host, else the host itself. */
export function listeningUrls(host: string, port: number): string[] {
  const url = (address: string) => `http://${address.includes(':') ? `[${address}]` : address}:${port}`;
  if (host !== '0.0.0.0' && host !== '::') return [url(host)];
  const families = host === '0.0.0.0' ? ['IPv4'] : ['IPv4', 'IPv6'];
  const addresses = Object.values(networkInterfaces())
    .flat()
    .filter((entry) => entry !== undefined && families.includes(entry.family) && !entry.address.startsWith('fe80:'))
    .map((entry) => (entry as { address: string }).address);
  return [...new Set(addresses)].map(url);
}
