import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { leasedBody, TAKE_WHOLE, usageTokens, usageTokensOf, type WholeBody } from './attempt';

const read = async (body: Readable) => {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
};

describe('leasedBody', () => {
  it('a whole JSON answer taken without reading the stream gives its bytes and reports its tokens, once', async () => {
    const json = Buffer.from(JSON.stringify({ choices: [], usage: { prompt_tokens: 3, total_tokens: 12 } }));
    const done: Array<number | null> = [];
    const body = leasedBody(Readable.from([]), json, (t) => done.push(t)) as WholeBody;
    expect(body[TAKE_WHOLE]?.()).toBe(json);
    body.destroy();
    await new Promise((resolve) => setImmediate(resolve));
    expect(done).toEqual([12]);
    expect(usageTokensOf(Buffer.from('{"id":"x"}'))).toBeNull();
  });

  it('a streamed answer offers no whole body to take', () => {
    const body = leasedBody(Readable.from([Buffer.from('data: {}\n\n')]), null, () => undefined) as WholeBody;
    expect(body[TAKE_WHOLE]).toBeUndefined();
    body.destroy();
  });

  it('a whole JSON answer read to its end reports its tokens, once', async () => {
    const json = Buffer.from(JSON.stringify({ choices: [], usage: { prompt_tokens: 3, total_tokens: 12 } }));
    const done: Array<number | null> = [];
    const body = leasedBody(Readable.from([]), json, (t) => done.push(t));
    expect(await read(body)).toBe(json.toString());
    body.destroy();
    await new Promise((r) => setImmediate(r));
    expect(done).toEqual([12]);
  });

  it('a stream passes through unchanged and reports the usage chunk at its end, past many KB', async () => {
    const filler = Array.from({ length: 400 }, (_, i) => `data: {"choices":[{"delta":{"content":"${'x'.repeat(40)}${i}"}}]}\n\n`);
    const chunks = [...filler, 'data: {"choices":[],"usage":{"total_tokens":77}}\n\n', 'data: [DONE]\n\n'].map((s) => Buffer.from(s));
    const done: Array<number | null> = [];
    const body = leasedBody(Readable.from(chunks), null, (t) => done.push(t));
    expect(await read(body)).toBe(Buffer.concat(chunks).toString());
    expect(done).toEqual([77]);
  });

  it('a body abandoned before its end releases without tokens, and destroys upstream', async () => {
    const upstream = new Readable({ read() {} });
    upstream.push('data: {"usage":{"total_tokens":5}}\n\n');
    const done: Array<number | null> = [];
    const body = leasedBody(upstream, null, (t) => done.push(t));
    body.destroy();
    await new Promise((r) => setImmediate(r));
    expect(done).toEqual([null]);
    expect(upstream.destroyed).toBe(true);
  });

  it('an upstream error ends the lease without tokens', async () => {
    const upstream = new Readable({ read() {} });
    const done: Array<number | null> = [];
    const body = leasedBody(upstream, null, (t) => done.push(t));
    const reading = read(body);
    upstream.destroy(new Error('reset'));
    await expect(reading).rejects.toThrow('reset');
    expect(done).toEqual([null]);
  });

  it('usageTokens reads total_tokens of the last usage object, or null', () => {
    expect(usageTokens('{"usage":{"total_tokens":9}}')).toBe(9);
    expect(usageTokens('{"choices":[]}')).toBeNull();
  });
});
