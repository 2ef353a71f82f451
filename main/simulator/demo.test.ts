import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS, DEMO_TOKENS, demoSimulatorOptions, startSimulator, type Simulator } from './index';
import { call, chat } from './test-client';

let sim: Simulator | null = null;
afterEach(async () => {
  await sim?.close();
  sim = null;
});

describe('demo simulator', () => {
  it('names three accounts the way the engine reads them from the environment', () => {
    expect(DEMO_ACCOUNTS.map((a) => a.key)).toEqual(['GITHUB_TOKEN', 'GITHUB_TOKEN2', 'GITHUB_TOKEN3']);
    expect(DEMO_ACCOUNTS.map((a) => a.token)).toEqual(DEMO_TOKENS);
    expect(demoSimulatorOptions().accounts).toEqual(DEMO_ACCOUNTS);
    expect(demoSimulatorOptions({ port: 1234 }).options.port).toBe(1234);
  });

  it('serves alice, bob and carol with 3 requests per minute each', async () => {
    const { options } = demoSimulatorOptions({ latencyMs: 0, now: () => 0 });
    const s = (sim = await startSimulator(options));
    const logins = [];
    for (const token of DEMO_TOKENS) logins.push(JSON.parse((await call(s, '/user', { token })).text).login);
    expect(logins).toEqual(['alice', 'bob', 'carol']);
    const [alice] = DEMO_TOKENS;
    for (let i = 0; i < 3; i++) expect((await chat(s, alice ?? '', { model: 'openai/gpt-4o-mini' })).status).toBe(200);
    const limited = await chat(s, alice ?? '', { model: 'openai/gpt-4o-mini' });
    expect(limited.status).toBe(429);
    expect(JSON.parse(limited.text).error.message).toContain('Rate limit of 3 per 60s exceeded for UserByModelByMinute');
    expect((await chat(s, DEMO_TOKENS[1] ?? '', { model: 'openai/gpt-4o-mini' })).status).toBe(200);
  });
});
