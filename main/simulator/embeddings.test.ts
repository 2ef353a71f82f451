import { afterEach, describe, expect, it } from 'vitest';
import { embeddingVector } from './content';
import { embeddingInputs } from './embeddings';
import { startSimulator, type Simulator } from './server';
import { call } from './test-client';

const ALICE = 'ghp_testAlice0000000000000000000000000001';

let sim: Simulator | null = null;
afterEach(async () => {
  await sim?.close();
  sim = null;
});

const embed = (s: Simulator, body: Record<string, unknown>, path = '/inference/embeddings') =>
  call(s, path, { token: ALICE, body: { model: 'openai/text-embedding-3-small', ...body } });

describe('embeddings', () => {
  it('accepts a string or an array of strings only', () => {
    expect(embeddingInputs('a')).toEqual(['a']);
    expect(embeddingInputs(['a', 'b'])).toEqual(['a', 'b']);
    expect(embeddingInputs([])).toBeNull();
    expect(embeddingInputs([1, 2])).toBeNull();
    expect(embeddingInputs(undefined)).toBeNull();
  });

  it('makes unit vectors that depend only on the input', () => {
    const v = embeddingVector('hello', 8);
    expect(v).toHaveLength(8);
    expect(Math.hypot(...v)).toBeCloseTo(1, 4);
    expect(embeddingVector('hello', 8)).toEqual(v);
    expect(embeddingVector('hello!', 8)).not.toEqual(v);
  });

  it('answers the documented list shape with default 8 dimensions', async () => {
    const s = (sim = await startSimulator({ users: [{ token: ALICE, login: 'alice' }] }));
    const r = await embed(s, { input: ['first text', 'second'] });
    expect(r.status).toBe(200);
    const body = JSON.parse(r.text);
    expect(body).toMatchObject({ object: 'list', model: 'openai/text-embedding-3-small', usage: { prompt_tokens: 3 + 2, total_tokens: 5 } });
    expect(body.data.map((d: { object: string; index: number }) => [d.object, d.index])).toEqual([
      ['embedding', 0],
      ['embedding', 1],
    ]);
    expect(body.data[0].embedding).toEqual(embeddingVector('first text', 8));
    expect(body.data[1].embedding).toEqual(embeddingVector('second', 8));
  });

  it('honours embeddingDims, the dimensions field and the org path', async () => {
    const s = (sim = await startSimulator({ users: [{ token: ALICE, login: 'alice' }], embeddingDims: 3 }));
    const one = JSON.parse((await embed(s, { input: 'x' }, '/orgs/acme/inference/embeddings')).text);
    expect(one.data).toHaveLength(1);
    expect(one.data[0].embedding).toHaveLength(3);
    const wide = JSON.parse((await embed(s, { input: 'x', dimensions: 16 })).text);
    expect(wide.data[0].embedding).toHaveLength(16);
  });

  it('400 for a missing input; quota counts embeddings per model', async () => {
    const s = (sim = await startSimulator({ users: [{ token: ALICE, login: 'alice' }], now: () => 0, limits: { perMinute: 1, perDay: 9, concurrent: 9 } }));
    expect((await embed(s, {})).status).toBe(400);
    expect((await embed(s, { input: 'a' })).status).toBe(200);
    const limited = await embed(s, { input: 'a' });
    expect(limited.status).toBe(429);
    expect(limited.headers['x-ratelimit-type']).toBe('UserByModelByMinute');
    expect((await embed(s, { input: 'a', model: 'openai/text-embedding-3-large' })).status).toBe(200);
  });
});
