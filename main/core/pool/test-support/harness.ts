import type { Plan } from '../../../../shared/domain';
import type { EventBody } from '../../../../shared/events';
import { defaultSettings, type Settings } from '../../../../shared/settings';
import type { CatalogModel } from '../../upstream/types';
import type { ProviderId } from '../../providers/types';
import type { PoolLogger, PoolObservation } from '../pool-deps';
import { createPool } from '../pool';
import type { QuotaStore } from '../quota-store';
import type { DispatchRequest, DispatchResult, Pool } from '../types';
import { FakeUpstream } from './fake-upstream';
import { settle, VirtualClock } from './virtual-clock';

export interface TestAccount {
  key: string;
  token: string;
  login: string | null;
  plan?: Plan;
  disabled?: boolean;
  /** Another provider than GitHub Models (its owner is the key's own). */
  provider?: ProviderId;
}

export interface LogLine {
  level: keyof PoolLogger;
  obj: Record<string, unknown>;
  message: string;
}

export const mini: CatalogModel = { id: 'openai/gpt-4o-mini', name: 'GPT-4o mini', publisher: 'OpenAI', rate_limit_tier: 'low' };
export const gpt41: CatalogModel = { id: 'openai/gpt-4.1', name: 'GPT-4.1', publisher: 'OpenAI', rate_limit_tier: 'high' };

export const TOKENS = {
  one: 'gho_FirstAccountTokenAAAAAAAAAXq',
  two: 'gho_SecondAccountTokenBBBBBBBB4d9U',
  three: 'gho_ThirdAccountTokenCCCCCCCCCC7z',
};

export const twoAccounts = (): TestAccount[] => [
  { key: 'GITHUB_TOKEN', token: TOKENS.one, login: 'alice' },
  { key: 'GITHUB_TOKEN2', token: TOKENS.two, login: 'bob' },
];

export type SettingsPatch = Partial<Omit<Settings, 'throttling' | 'timeouts'>> & {
  throttling?: Partial<Settings['throttling']>;
  timeouts?: Partial<Settings['timeouts']>;
};

export function makeSettings(patch: SettingsPatch = {}): Settings {
  const base = defaultSettings();
  return { ...base, ...patch, throttling: { ...base.throttling, ...patch.throttling }, timeouts: { ...base.timeouts, ...patch.timeouts } };
}

export interface Harness {
  pool: Pool;
  clock: VirtualClock;
  upstream: FakeUpstream;
  events: EventBody[];
  observations: PoolObservation[];
  logs: LogLine[];
  settings: Settings;
  /** Sets the accounts (their logins answer GET /user) and waits for resolution. */
  accounts(list: TestAccount[]): Promise<void>;
  /** Starts a request; the result promise settles as virtual time moves. */
  send(model?: CatalogModel, options?: { signal?: AbortSignal }): Promise<DispatchResult>;
  /** Sends and reads the body (releasing the slot) when served. */
  serve(model?: CatalogModel): Promise<DispatchResult>;
  kinds(kind: EventBody['kind']): EventBody[];
}

export function request(model: CatalogModel, signal: AbortSignal = new AbortController().signal): DispatchRequest {
  const body = Buffer.from(JSON.stringify({ model: model.id, messages: [{ role: 'user', content: 'hi' }] }));
  return { kind: 'chat', model, body, stream: false, signal, clientId: '127.0.0.1' };
}

export async function consume(result: DispatchResult): Promise<string> {
  if (!result.ok) return '';
  const chunks: Buffer[] = [];
  for await (const chunk of result.reply.body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** `quota`: the store the pool uses (an in-memory one when absent). */
export function makeHarness(patch: SettingsPatch = {}, clock = new VirtualClock(), quota?: QuotaStore): Harness {
  const upstream = new FakeUpstream(clock);
  const events: EventBody[] = [];
  const observations: PoolObservation[] = [];
  const logs: LogLine[] = [];
  const settings = makeSettings(patch);
  const log = (level: keyof PoolLogger) => (obj: Record<string, unknown>, message: string) => logs.push({ level, obj, message });
  const logger: PoolLogger = { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
  const pool = createPool({ upstream, clock, settings: () => settings, emit: (e) => events.push(e), observe: (o) => observations.push(o), logger, ...(quota ? { quota } : {}) });
  const h: Harness = {
    pool,
    clock,
    upstream,
    events,
    observations,
    logs,
    settings,
    async accounts(list) {
      for (const a of list) if (a.login) upstream.user(a.token, a.login);
      await pool.setAccounts(list.map((a) => ({ key: a.key, token: a.token, plan: a.plan ?? 'free', disabled: a.disabled ?? false, ...(a.provider ? { provider: a.provider, creds: { key: a.token, baseUrl: 'http://127.0.0.1:9/v1' }, owner: a.key } : {}) })));
    },
    send(model = mini, options = {}) {
      return pool.dispatch(request(model, options.signal));
    },
    async serve(model = mini) {
      const result = await pool.dispatch(request(model));
      await consume(result);
      await settle(2);
      return result;
    },
    kinds(kind) {
      return events.filter((e) => e.kind === kind);
    },
  };
  return h;
}
