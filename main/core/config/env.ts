import type { ProviderCredentials, ProviderId } from '../providers/types';
import type { Settings } from '../../../shared/settings';

/** An account defined by the environment: GITHUB_TOKEN, GITHUB_TOKEN2, GITHUB_TOKEN3, … */
export interface EnvAccount {
  key: string;
  token: string;
  /** Another provider than GitHub Models (config/provider-accounts.ts): its credentials and owner. */
  provider?: ProviderId;
  creds?: ProviderCredentials;
  owner?: string;
}

export interface EnvConfig {
  accounts: EnvAccount[];
  modelsBaseUrl: string;
  apiBaseUrl: string;
  /** Settings the environment fixes for this run (they win over stored settings). */
  overrides: EnvOverrides;
  /** Problems worth a warning line, in plain words (e.g. "PORT=abc is not a port number; using 4000"). */
  warnings: string[];
  /**
   * SWITCHYARD_INSECURE_NO_CLIENT_KEY=1 (or `serve --insecure-no-client-key`): the person accepts that
   * other machines may use the proxy without a client key when it listens beyond loopback.
   */
  insecureNoClientKey: boolean;
}

export interface EnvOverrides {
  host?: string;
  port?: number;
  apiKey?: string;
  throttling?: Partial<Settings['throttling']>;
  inboundRateLimit?: Partial<Settings['inboundRateLimit']>;
}

export const DEFAULT_MODELS_BASE_URL = 'https://models.github.ai';
export const DEFAULT_API_BASE_URL = 'https://api.github.com';

const TOKEN_KEY = /^GITHUB_TOKEN(\d*)$/;

/** Reads the original system's environment names (see DESIGN.md, "Contracts"). */
export function readEnv(env: Record<string, string | undefined>): EnvConfig {
  const warnings: string[] = [];
  const accounts = Object.entries(env)
    .flatMap(([key, value]) => {
      const match = TOKEN_KEY.exec(key);
      const token = value?.trim();
      if (!match || !token) return [];
      return [{ key, token, n: match[1] === '' ? 1 : Number(match[1]) }];
    })
    .sort((a, b) => a.n - b.n)
    .map(({ key, token }) => ({ key, token }));

  const overrides: EnvOverrides = {};
  const host = env.HOST?.trim();
  if (host) overrides.host = host;
  const port = readInt(env, 'PORT', 0, 65535, warnings);
  if (port !== undefined) overrides.port = port;
  const apiKey = env.SWITCHYARD_API_KEY?.trim();
  if (apiKey) overrides.apiKey = apiKey;

  const throttlingEnabled = readBool(env, 'ENABLE_MODEL_THROTTLING', warnings);
  const minInterval = readInt(env, 'MODEL_MIN_INTERVAL_MS', 0, 600_000, warnings);
  if (throttlingEnabled !== undefined || minInterval !== undefined) {
    overrides.throttling = {};
    if (throttlingEnabled !== undefined) overrides.throttling.enabled = throttlingEnabled;
    if (minInterval !== undefined) overrides.throttling.minIntervalMs = minInterval;
  }
  const rateEnabled = readBool(env, 'RATE_LIMIT_ENABLED', warnings);
  const perMinute = readInt(env, 'RATE_LIMIT_PER_MINUTE', 1, 100_000, warnings);
  if (rateEnabled !== undefined || perMinute !== undefined) {
    overrides.inboundRateLimit = {};
    if (rateEnabled !== undefined) overrides.inboundRateLimit.enabled = rateEnabled;
    if (perMinute !== undefined) overrides.inboundRateLimit.perMinute = perMinute;
  }

  return {
    accounts,
    modelsBaseUrl: readUrl(env, 'GITHUB_MODELS_BASE_URL', DEFAULT_MODELS_BASE_URL, warnings),
    apiBaseUrl: readUrl(env, 'GITHUB_API_BASE_URL', DEFAULT_API_BASE_URL, warnings),
    overrides,
    warnings,
    insecureNoClientKey: readBool(env, INSECURE_NO_CLIENT_KEY, warnings) === true,
  };
}

/** The environment name that allows serving other machines without a client key. */
export const INSECURE_NO_CLIENT_KEY = 'SWITCHYARD_INSECURE_NO_CLIENT_KEY';

/** Stored settings with the environment's (and then the command line's) fixed values laid over them. */
export function applyOverrides(settings: Settings, ...layers: EnvOverrides[]): Settings {
  let out = settings;
  for (const layer of layers) {
    out = {
      ...out,
      ...(layer.host !== undefined ? { host: layer.host } : {}),
      ...(layer.port !== undefined ? { port: layer.port } : {}),
      ...(layer.apiKey !== undefined ? { apiKey: layer.apiKey } : {}),
      throttling: { ...out.throttling, ...layer.throttling },
      inboundRateLimit: { ...out.inboundRateLimit, ...layer.inboundRateLimit },
    };
  }
  return out;
}

function readBool(env: Record<string, string | undefined>, name: string, warnings: string[]): boolean | undefined {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return undefined;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  warnings.push(`${name}=${env[name]} is not a yes/no value (use 1 or 0); ignoring it.`);
  return undefined;
}

function readInt(env: Record<string, string | undefined>, name: string, min: number, max: number, warnings: string[]): number | undefined {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    warnings.push(`${name}=${raw} is not a whole number between ${min} and ${max}; ignoring it.`);
    return undefined;
  }
  return value;
}

function readUrl(env: Record<string, string | undefined>, name: string, fallback: string, warnings: string[]): string {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  try {
    const url = new URL(raw);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http(s)');
    return raw.replace(/\/+$/, '');
  } catch {
    warnings.push(`${name}=${raw} is not an http(s) URL; using ${fallback}.`);
    return fallback;
  }
}
