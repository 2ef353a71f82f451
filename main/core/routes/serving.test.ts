import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import type { SettingsInput } from '../../../shared/settings';
import { simulatorBaseUrlEnv } from '../../simulator';
import { parsePrometheusText, valueOf } from '../proxy/test-support/prom-text';
import { startHarness, type Harness } from '../test-support/harness';

/**
 * Routes across providers end to end (issue 12): the real engine in front of the multi-provider
 * simulator, the official `openai` SDK as client, and what the snapshot, events and metrics say.
 */
const open: Harness[] = [];
afterEach(async () => {
  while (open.length) await open.pop()!.close();
});

type SimOptions = NonNullable<NonNullable<Parameters<typeof startHarness>[0]>['simulator']>;

async function start(env: Record<string, string>, simulator: SimOptions, settings?: SettingsInput) {
  const probe = await startHarness({ users: [], simulator });
  // The harness started the simulator; the engine must see the providers' base URLs pointing at it.
  await probe.close({ keepSim: true });
  const h = await startHarness({ users: [], sim: probe.sim, env: { ...simulatorBaseUrlEnv(probe.sim.url), ...env }, ...(settings ? { settings } : {}) });
  open.push(h);
  // The providers' live catalogs come in after start: wait until each provider's is in.
  const providers = Object.keys(env).flatMap((name) => (/^([A-Z]+)_API_KEY$/.exec(name)?.[1]?.toLowerCase() ?? []));
  while (!providers.every((p) => h.engine.snapshot().routeTargets.some((t) => t.startsWith(`${p}/`)))) await new Promise((r) => setTimeout(r, 20));
  return h;
}

const GROQ = 'groq/llama-3.3-70b-versatile';
const CEREBRAS = 'cerebras/llama-3.3-70b';
const OPENROUTER = 'openrouter/meta-llama/llama-3.3-70b-instruct:free';

type Message = OpenAI.Chat.Completions.ChatCompletionMessageParam;
const ask = (client: OpenAI, model: string, messages: Message[] = [{ role: 'user', content: 'hi' }]) => client.chat.completions.create({ model, messages }).withResponse();
const header = (response: Response, name: string) => response.headers.get(name);
const refusalOf = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (error: unknown) => error as InstanceType<typeof OpenAI.APIError>,
  );

const TWO_GROQ_ORGS_AND_CEREBRAS: SimOptions = {
  keys: [
    { provider: 'groq', key: 'gsk_work1', owner: 'org_work' },
    { provider: 'groq', key: 'gsk_home1', owner: 'org_home' },
    { provider: 'cerebras', key: 'csk-demo1', owner: 'org_c' },
  ],
  providers: { groq: { limits: { rpm: 1 } }, cerebras: { limits: { rpm: 10 } } },
};
const TWO_GROQ_ENV = { GROQ_API_KEY: 'gsk_work1', GROQ_API_KEY2: 'gsk_home1', CEREBRAS_API_KEY: 'csk-demo1' };

describe('routes across providers', () => {
  it('rotates inside the first target while one of its owners can serve, then falls back to the next: said in headers, the snapshot, one event and the metrics', async () => {
    const h = await start(TWO_GROQ_ENV, TWO_GROQ_ORGS_AND_CEREBRAS);
    const answers: Array<{ provider: string | null; account: string | null; target: string | null; model: string }> = [];
    for (let i = 0; i < 4; i++) {
      const { data, response } = await ask(h.client, 'llama-3.3-70b', [{ role: 'user', content: `question ${i}` }]);
      expect(response.status).toBe(200);
      answers.push({ provider: header(response, 'x-switchyard-provider'), account: header(response, 'x-switchyard-account'), target: header(response, 'x-switchyard-route-target'), model: data.model });
    }
    expect(answers).toEqual([
      { provider: 'groq', account: 'GROQ_API_KEY', target: GROQ, model: 'llama-3.3-70b-versatile' },
      { provider: 'groq', account: 'GROQ_API_KEY2', target: GROQ, model: 'llama-3.3-70b-versatile' },
      { provider: 'cerebras', account: 'CEREBRAS_API_KEY', target: CEREBRAS, model: 'llama-3.3-70b' },
      { provider: 'cerebras', account: 'CEREBRAS_API_KEY', target: CEREBRAS, model: 'llama-3.3-70b' },
    ]);

    const snapshot = h.engine.snapshot();
    const route = snapshot.routes.find((r) => r.name === 'llama-3.3-70b');
    expect(route?.origin).toBe('family');
    const [groq, cerebras] = route!.targets;
    expect(groq).toMatchObject({ target: GROQ, state: 'limited', served: 2, fallbacks: 0, lastServed: false });
    expect(groq!.until).toBeGreaterThan(Date.now());
    expect(cerebras).toMatchObject({ target: CEREBRAS, state: 'ready', served: 2, fallbacks: 2, lastServed: true });
    expect(snapshot.routeTargets).toEqual(expect.arrayContaining([GROQ, CEREBRAS]));

    // Two requests fell back; the fallback is one event (it lasts until Groq's reset) and two in the metrics.
    const events = await h.engine.getEvents({ kind: 'route-fallback' });
    expect(events).toEqual([expect.objectContaining({ kind: 'route-fallback', route: 'llama-3.3-70b', from: GROQ, to: CEREBRAS, reason: 'rate-limited' })]);
    // Groq's reset as its Retry-After said it (whole seconds), so within a second of the block's own.
    expect(Math.abs((events[0] as { resetsAt: number }).resetsAt - groq!.until!)).toBeLessThanOrEqual(1_000);
    const metrics = parsePrometheusText(await (await fetch(`${h.origin}/metrics`)).text());
    expect(valueOf(metrics, 'switchyard_route_fallbacks_total', { route: 'llama-3.3-70b', from: GROQ, to: CEREBRAS })).toBe(2);
  });

  it('skips a target whose catalog says it does not take what the request needs', async () => {
    const h = await start(
      { GROQ_API_KEY: 'gsk_work1', OPENROUTER_API_KEY: 'sk-or-v1-demo1' },
      { keys: [{ provider: 'groq', key: 'gsk_work1', owner: 'org_work' }, { provider: 'openrouter', key: 'sk-or-v1-demo1', owner: 'acct' }] },
      { routes: [{ name: 'seeing-llama', targets: [OPENROUTER, GROQ] }] },
    );
    // OpenRouter lists its input modalities: text only. A plain question goes to it first…
    const plain = await ask(h.client, 'seeing-llama');
    expect(header(plain.response, 'x-switchyard-route-target')).toBe(OPENROUTER);
    // …a question with an image skips it (no attempt there, so no fallback).
    const image: Message = { role: 'user', content: [{ type: 'text', text: 'what is this?' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } }] };
    const seen = await ask(h.client, 'seeing-llama', [image]);
    expect(seen.response.status).toBe(200);
    expect(header(seen.response, 'x-switchyard-route-target')).toBe(GROQ);
    expect(header(seen.response, 'x-switchyard-provider')).toBe('groq');
    const route = h.engine.snapshot().routes.find((r) => r.name === 'seeing-llama')!;
    expect(route.targets.map((t) => [t.target, t.lacks, t.served, t.fallbacks])).toEqual([
      [OPENROUTER, ['vision'], 1, 0],
      [GROQ, [], 1, 0],
    ]);
    expect(await h.engine.getEvents({ kind: 'route-fallback' })).toEqual([]);
  });

  it('keeps a conversation on the target that took it over, once the first target serves again', async () => {
    const h = await start(
      { GROQ_API_KEY: 'gsk_work1', CEREBRAS_API_KEY: 'csk-demo1' },
      { keys: [{ provider: 'groq', key: 'gsk_work1', owner: 'org_work' }, { provider: 'cerebras', key: 'csk-demo1', owner: 'org_c' }], providers: { groq: { limits: { rpm: 1 } } } },
    );
    const system: Message = { role: 'system', content: 'You answer briefly.' };
    const opening: Message = { role: 'user', content: 'Tell me about trains.' };
    const first = await ask(h.client, 'llama-3.3-70b', [system, { role: 'user', content: 'another thread' }]);
    expect(header(first.response, 'x-switchyard-route-target')).toBe(GROQ);
    // Groq's one organisation is at its per-minute limit: this conversation starts on Cerebras.
    const turn1 = await ask(h.client, 'llama-3.3-70b', [system, opening]);
    expect(header(turn1.response, 'x-switchyard-route-target')).toBe(CEREBRAS);

    // Groq serves again (its window and the engine's block cleared) …
    h.sim.control.resetQuota();
    await h.engine.reset({});
    const turn2 = await ask(h.client, 'llama-3.3-70b', [system, opening, { role: 'assistant', content: turn1.data.choices[0]!.message.content ?? '' }, { role: 'user', content: 'And trams?' }]);
    // … but the conversation stays where it is; a new one starts on the first target.
    expect(header(turn2.response, 'x-switchyard-route-target')).toBe(CEREBRAS);
    const fresh = await ask(h.client, 'llama-3.3-70b', [system, { role: 'user', content: 'A new question.' }]);
    expect(header(fresh.response, 'x-switchyard-route-target')).toBe(GROQ);
  });

  it('answers an honest 429 across every target: Retry-After is the earliest reset among them, the message names each target and why', async () => {
    const h = await start(
      { GROQ_API_KEY: 'gsk_work1', CEREBRAS_API_KEY: 'csk-demo1' },
      { keys: [{ provider: 'groq', key: 'gsk_work1', owner: 'org_work' }, { provider: 'cerebras', key: 'csk-demo1', owner: 'org_c' }], providers: { groq: { limits: { rpm: 1 } } } },
      // No bounded wait: Groq's minute would otherwise be waited out and served.
      { maxWaitMs: 0 },
    );
    // Cerebras' day is spent (it refills one request every few seconds); Groq's minute is spent by this first request.
    expect(h.sim.control.fillProvider('cerebras', 'org_c', 'llama-3.3-70b', 'rpd')).toBe(true);
    await ask(h.client, 'llama-3.3-70b');
    // The next one learns each target's limit upstream; the last one is refused without asking.
    for (const attempt of ['learns', 'known']) {
      const refused = await refusalOf(ask(h.client, 'llama-3.3-70b'));
      expect(refused, attempt).toBeInstanceOf(OpenAI.APIError);
      expect(refused!.status).toBe(429);
      const retryAfter = Number(refused!.headers?.get('retry-after'));
      const [groq, cerebras] = h.engine.snapshot().routes.find((r) => r.name === 'llama-3.3-70b')!.targets;
      expect([groq!.state, cerebras!.state]).toEqual(['limited', 'limited']);
      // Groq is back within its minute, Cerebras within seconds: the client is told the earlier one.
      const groqIn = (groq!.until! - Date.now()) / 1000;
      const cerebrasIn = (cerebras!.until! - Date.now()) / 1000;
      expect(groqIn - cerebrasIn).toBeGreaterThan(10);
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(Math.abs(retryAfter - cerebrasIn)).toBeLessThanOrEqual(1.5);
      expect(refused!.message).toMatch(/^429 Every target of llama-3\.3-70b is rate-limited or unavailable: groq\/llama-3\.3-70b-versatile: .+; cerebras\/llama-3\.3-70b: .+\.$/);
      expect(refused!.message).toContain('UserByModelByMinute limit');
      expect(refused!.message).toContain('UserByModelByDay limit');
    }
  });
});
