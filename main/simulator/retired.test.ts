import { afterEach, describe, expect, it } from 'vitest';
import { RETIRED_BODY } from './replies';
import { startSimulator, type Simulator } from './server';
import { call, chat } from './test-client';

const ALICE = 'ghp_testAlice0000000000000000000000000001';

let sim: Simulator | null = null;
afterEach(async () => {
  await sim?.close();
  sim = null;
});

describe('GitHub Models retired', () => {
  it('answers 410 with the captured body on chat, embeddings and the catalog, while GET /user still answers 200', async () => {
    const s = (sim = await startSimulator({ users: [{ token: ALICE, login: 'alice' }], githubRetired: true }));
    const gone = await chat(s, ALICE, { model: 'openai/gpt-4o-mini' });
    expect(gone.status).toBe(410);
    expect(JSON.parse(gone.text)).toEqual({ error: { code: 'github_models_retirement_brownout', message: 'GitHub Models is temporarily unavailable as part of a scheduled retirement brownout.' } });
    expect(gone.text).toBe(RETIRED_BODY);
    expect((await call(s, '/inference/embeddings', { token: ALICE, body: { model: 'openai/text-embedding-3-small', input: 'x' } })).status).toBe(410);
    expect((await call(s, '/catalog/models', { token: ALICE })).status).toBe(410);
    expect((await chat(s, null, { model: 'openai/gpt-4o-mini' })).status).toBe(410);
    const user = await call(s, '/user', { token: ALICE });
    expect(user.status).toBe(200);
    expect(JSON.parse(user.text).login).toBe('alice');
    expect(s.stats().totals.served).toBe(0);
  });

  it('is a switch on the control API', async () => {
    const s = (sim = await startSimulator({ users: [{ token: ALICE, login: 'alice' }] }));
    expect((await chat(s, ALICE, { model: 'openai/gpt-4o-mini' })).status).toBe(200);
    s.control.setGithubRetired(true);
    expect((await chat(s, ALICE, { model: 'openai/gpt-4o-mini' })).status).toBe(410);
    s.control.setGithubRetired(false);
    expect((await call(s, '/catalog/models', { token: ALICE })).status).toBe(200);
  });
});
