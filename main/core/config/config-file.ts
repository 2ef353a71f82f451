import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Document, LineCounter } from 'yaml';
import { z } from 'zod';
import { azureBaseUrl } from '../providers/azure';
import { GITHUB_DEFAULT_API_BASE_URL } from '../providers/github';
import { isProviderId, providerFor } from '../providers/index';
import { PROVIDER_IDS, type ProviderId } from '../providers/types';
import { baseUrlFromEnv, cleanUrl, EXTRA_CREDENTIAL, type ProviderEnvAccount } from './provider-env';

type Env = Record<string, string | undefined>;

/** One account from the config file, ready for the pool (the key resolved from `${VAR}`). */
export interface ConfigAccount extends ProviderEnvAccount {
  /** Accounts of one group share one quota (Gemini projects, Mistral organisations). */
  quotaGroup?: string;
}

/** `{provider}/{model}`: `groq/llama-3.3-70b-versatile`, `openrouter/meta-llama/llama-3.3-70b-instruct:free`. */
export interface RouteTarget {
  provider: ProviderId;
  model: string;
}

export interface SwitchyardConfig {
  file: string;
  accounts: ConfigAccount[];
  /** Route name → its targets, in order (for the routes feature). */
  routes: Record<string, RouteTarget[]>;
  /** Worth a warning line (a key written in the file); never a key. */
  warnings: string[];
  /** `redis_url` (its `${VAR}` read) and `redis:` as written, for the shared quota store. */
  quotaStore?: { redis_url?: string; redis?: Record<string, unknown> };
}

/** The file cannot be used; every problem names the line and the field. */
export class ConfigFileError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`${file} cannot be used:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigFileError';
  }
}

const ID = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const ACCOUNT_FIELDS = ['id', 'provider', 'key', 'base_url', 'account_id', 'endpoint', 'quota_group'];

const text = (what: string) => z.string({ error: `must be ${what}` }).trim().min(1, { error: 'must not be empty' });

const accountSchema = z.strictObject({
  id: text('an id (letters, digits, . _ -)').regex(ID, { error: 'may hold only letters, digits, ".", "_" and "-"' }),
  provider: z.enum(PROVIDER_IDS, { error: (issue) => `'${String(issue.input)}' is not a provider; use one of ${PROVIDER_IDS.join(', ')}` }),
  key: text('the key, or ${VAR} to read it from the environment'),
  base_url: text('an http(s) URL').optional(),
  account_id: text('the Cloudflare account id').optional(),
  endpoint: text('the Azure resource endpoint URL').optional(),
  quota_group: text('a name').optional(),
}, { error: (issue) => (issue.code === 'invalid_type' ? 'must be an account (id, provider, key, …)' : undefined) });

const routeTarget = z.string({ error: 'must be "{provider}/{model}"' }).trim().regex(/^[^/\s]+\/\S+$/, { error: 'must be "{provider}/{model}", e.g. groq/llama-3.3-70b-versatile' });

const configSchema = z.strictObject({
  accounts: z.array(accountSchema, { error: 'must be a list of accounts' }).optional(),
  routes: z.record(z.string().trim().min(1), z.array(routeTarget, { error: 'must be a list of "{provider}/{model}"' }).min(1, { error: 'must list at least one target' }), { error: 'must map route names to lists of targets' }).optional(),
  // The shared quota store (team server); its fields are checked where the store is made (pool/create-quota-store.ts).
  redis_url: z.string({ error: 'must be a redis:// or rediss:// URL' }).trim().min(1).optional(),
  redis: z.record(z.string(), z.unknown(), { error: 'must be a mapping of Redis settings' }).optional(),
}, { error: (issue) => (issue.code === 'invalid_type' ? 'the file must be a mapping with accounts: and routes:' : undefined) });

type Path = ReadonlyArray<PropertyKey>;

function pathText(path: Path): string {
  return path.reduce<string>((out, part) => (typeof part === 'number' ? `${out}[${part}]` : out === '' ? String(part) : `${out}.${String(part)}`), '');
}

/** Line of the deepest node of the path that exists in the document. */
function lineOf(doc: Document, counter: LineCounter, path: Path): number {
  for (let depth = path.length; depth >= 0; depth--) {
    const node = depth === 0 ? doc.contents : doc.getIn(path.slice(0, depth) as unknown[], true);
    const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
    if (range) return counter.linePos(range[0]).line;
  }
  return 1;
}

function zodMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') {
    const known = issue.path.length === 0 ? 'accounts, routes, redis_url, redis' : ACCOUNT_FIELDS.join(', ');
    return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((key) => `'${key}'`).join(', ')} (known: ${known})`;
  }
  if (issue.code === 'invalid_type' && issue.input === undefined) return 'is required';
  return issue.message;
}

const VAR = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/**
 * Reads a config file's text (YAML, or JSON, which YAML reads too), validated; `${VAR}` read from
 * `env`. Throws ConfigFileError listing every problem as `file:line: field: what is wrong`.
 */
export interface ConfigOptions {
  /** Account ids already in use (the environment's `GROQ_API_KEY`, …): the file may not reuse them. */
  takenIds?: Iterable<string>;
}

/** The YAML parser, loaded on the first config file read (a start without one never pays its ≈ 8 MB and load time). */
let yaml: typeof import('yaml') | null = null;
const loadYaml = () => (yaml ??= createRequire(import.meta.url)('yaml') as typeof import('yaml'));

export function parseConfig(source: string, file: string, env: Env, options: ConfigOptions = {}): SwitchyardConfig {
  const { LineCounter, parseDocument } = loadYaml();
  const counter = new LineCounter();
  const doc = parseDocument(source, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ConfigFileError(file, doc.errors.map((error) => `${file}:${counter.linePos(error.pos[0]).line}: ${error.message.split('\n')[0]}`));
  }
  const problems: string[] = [];
  const warnings: string[] = [];
  const at = (path: Path, message: string) => `${file}:${lineOf(doc, counter, path)}: ${path.length ? `${pathText(path)}: ` : ''}${message}`;

  const raw: unknown = doc.toJS() ?? {};
  const parsed = configSchema.safeParse(raw, { reportInput: true });
  if (!parsed.success) {
    throw new ConfigFileError(
      file,
      parsed.error.issues.map((issue) => {
        const path = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0]!] : issue.path;
        return at(path, zodMessage(issue));
      }),
    );
  }

  const resolve = (value: string, path: Path): string =>
    value.replace(VAR, (whole, name: string) => {
      const found = env[name]?.trim();
      if (!found) problems.push(at(path, `${whole} is not set in the environment`));
      return found ?? '';
    });

  const seen = new Map<string, number>();
  const taken = new Set(options.takenIds ?? []);
  const accounts = (parsed.data.accounts ?? []).flatMap((entry, index): ConfigAccount[] => {
    const path = ['accounts', index];
    const provider = providerFor(entry.provider);
    const before = problems.length;
    const first = seen.get(entry.id);
    if (first !== undefined) problems.push(at([...path, 'id'], `'${entry.id}' is already the id of accounts[${first}]; ids are unique`));
    else if (taken.has(entry.id)) problems.push(at([...path, 'id'], `'${entry.id}' is already an account from the environment; ids are unique`));
    else seen.set(entry.id, index);

    if (!new RegExp(VAR.source).test(entry.key)) {
      warnings.push(`${at([...path, 'key'], `the key of '${entry.id}' is written in the file itself; prefer key: \${VAR} so it stays in the environment`)}`);
    }
    const key = resolve(entry.key, [...path, 'key']);
    const needs = EXTRA_CREDENTIAL[entry.provider];
    const field = (name: 'base_url' | 'account_id' | 'endpoint') => (entry[name] === undefined ? undefined : resolve(entry[name]!, [...path, name]));
    const accountId = field('account_id');
    const endpointRaw = field('endpoint');
    const baseRaw = field('base_url');
    if (accountId !== undefined && entry.provider !== 'cloudflare') problems.push(at([...path, 'account_id'], 'is only for provider cloudflare'));
    if (endpointRaw !== undefined && entry.provider !== 'azure') problems.push(at([...path, 'endpoint'], 'is only for provider azure'));
    if (needs === 'accountId' && !entry.account_id) problems.push(at(path, `provider ${entry.provider} needs account_id (the Cloudflare account id)`));
    if (needs === 'endpoint' && !entry.endpoint && !entry.base_url) problems.push(at(path, `provider ${entry.provider} needs endpoint (https://{resource}.openai.azure.com)`));
    if (needs === 'baseUrl' && !entry.base_url) problems.push(at(path, `provider ${entry.provider} needs base_url`));
    const endpoint = endpointRaw ? cleanUrl(endpointRaw) : undefined;
    if (endpointRaw && !endpoint) problems.push(at([...path, 'endpoint'], `'${endpointRaw}' is not an http(s) URL`));
    const explicitBase = baseRaw ? cleanUrl(baseRaw) : undefined;
    if (baseRaw && !explicitBase) problems.push(at([...path, 'base_url'], `'${baseRaw}' is not an http(s) URL`));
    if (problems.length > before) return [];

    const baseUrl = explicitBase ?? (endpoint ? azureBaseUrl(endpoint) : baseUrlFromEnv(provider, env, warnings));
    const apiBaseUrl = entry.provider === 'github' ? (cleanUrl(env.GITHUB_API_BASE_URL?.trim() ?? '') ?? GITHUB_DEFAULT_API_BASE_URL) : undefined;
    return [
      {
        id: entry.id,
        provider: entry.provider,
        key,
        baseUrl,
        ...(accountId ? { accountId } : {}),
        ...(endpoint ? { endpoint } : {}),
        ...(entry.quota_group ? { quotaGroup: entry.quota_group } : {}),
        ...(apiBaseUrl ? { apiBaseUrl } : {}),
      },
    ];
  });

  const routes: Record<string, RouteTarget[]> = {};
  for (const [name, targets] of Object.entries(parsed.data.routes ?? {})) {
    routes[name] = targets.flatMap((target, index): RouteTarget[] => {
      const slash = target.indexOf('/');
      const provider = target.slice(0, slash);
      if (!isProviderId(provider)) {
        problems.push(at(['routes', name, index], `'${provider}' in '${target}' is not a provider; use one of ${PROVIDER_IDS.join(', ')}`));
        return [];
      }
      return [{ provider, model: target.slice(slash + 1) }];
    });
  }

  const redisUrl = parsed.data.redis_url === undefined ? undefined : resolve(parsed.data.redis_url, ['redis_url']);
  const quotaStore = redisUrl !== undefined || parsed.data.redis ? { ...(redisUrl !== undefined ? { redis_url: redisUrl } : {}), ...(parsed.data.redis ? { redis: parsed.data.redis } : {}) } : undefined;

  if (problems.length > 0) throw new ConfigFileError(file, problems);
  return { file, accounts, routes, warnings, ...(quotaStore ? { quotaStore } : {}) };
}

/** Reads and parses the config file; a missing or unreadable file is a ConfigFileError too. */
export async function loadConfig(file: string, env: Env, options: ConfigOptions = {}): Promise<SwitchyardConfig> {
  let source: string;
  try {
    source = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigFileError(file, [`${file}: ${code === 'ENOENT' ? 'no such file' : `cannot be read (${code ?? String(error)})`}`]);
  }
  return parseConfig(source, file, env, options);
}

/** `--config FILE` or `--config=FILE` on the command line, else SWITCHYARD_CONFIG, else null; `--config` alone throws. */
export function configPathFrom(argv: readonly string[], env: Env): string | null {
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index]!;
    const value = arg === '--config' ? argv[index + 1] : arg.startsWith('--config=') ? arg.slice('--config='.length) : undefined;
    if (arg === '--config' || arg.startsWith('--config=')) {
      if (!value || value.startsWith('--')) throw new Error('--config needs a file name: --config FILE (YAML or JSON).');
      return value;
    }
  }
  return env.SWITCHYARD_CONFIG?.trim() || null;
}
