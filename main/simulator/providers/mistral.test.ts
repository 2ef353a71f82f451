import { describe, expect, it } from 'vitest';
import type { SimulatorOptions } from '../options';
import { failure, hi, raw, sdk, simulators, virtualClock } from './test-client';

const open = simulators();

const CHAT = '/mistral/v1/chat/completions';
const RATE_LIMITED = { object: 'error', message: 'Rate limit exceeded', type: 'rate_limited', param: null, code: '1300' };

async function start(options: SimulatorOptions = {}) {
  return open({
    keys: [
      { provider: 'mistral', key: 'mk-1', owner: 'acme' },
      { provider: 'mistral', key: 'mk-2', owner: 'acme' },
    ],
    ...options,
  });
}

describe('Mistral dialect', () => {
  it('1 request a second per organisation, every model together; the 429 body as Mistral sends it', async () => {
    const clock = virtualClock();
    const s = await start({ now: clock.now });
    expect((await raw(s, CHAT, 'mk-1', hi('mistral-small-latest'))).status).toBe(200);
    const limited = await raw(s, CHAT, 'mk-2', hi('mistral-large-latest'));
    expect(limited.status).toBe(429);
    expect(limited.json()).toEqual(RATE_LIMITED);
    clock.advance(1000);
    expect((await raw(s, CHAT, 'mk-2', hi('mistral-large-latest'))).status).toBe(200);
  });

  it('minute and month headers; the month budget ends on the 1st (UTC)', async () => {
    const clock = virtualClock(Date.UTC(2026, 8, 30, 23, 0, 0));
    const s = await start({ now: clock.now, providers: { mistral: { limits: { tokensPerMonth: 30, rps: null } } } });
    const ok = await raw(s, CHAT, 'mk-1', hi('mistral-small-latest'));
    const used = ok.json().usage.total_tokens as number;
    expect(ok.headers['x-ratelimitbysize-limit-month']).toBe('30');
    expect(ok.headers['x-ratelimitbysize-remaining-month']).toBe(String(30 - used));
    expect(ok.headers['x-ratelimitbysize-limit-minute']).toBe('500000');
    expect(ok.headers['x-ratelimitbysize-remaining-minute']).toBe(String(500_000 - used));
    await raw(s, CHAT, 'mk-1', hi('mistral-small-latest'));
    const limited = await raw(s, CHAT, 'mk-2', hi('mistral-small-latest'));
    expect(limited.json()).toEqual(RATE_LIMITED);
    expect(limited.headers['x-ratelimitbysize-remaining-month']).toBe(String(30 - 2 * used));
    clock.t = Date.UTC(2026, 9, 1);
    expect((await raw(s, CHAT, 'mk-2', hi('mistral-small-latest'))).status).toBe(200);
  });

  it('422 extra_forbidden for stream_options and seed, with message an object, through the SDK too', async () => {
    const s = await start();
    const e = await failure(sdk(s, 'mistral', 'mk-1').chat.completions.create({ ...hi('mistral-small-latest'), stream: true, stream_options: { include_usage: true } }));
    expect(e.status).toBe(422);
    const body = (await raw(s, CHAT, 'mk-1', hi('mistral-small-latest', { stream_options: { include_usage: true }, seed: 7 }))).json();
    expect(body).toEqual({
      object: 'error',
      message: {
        detail: [
          { type: 'extra_forbidden', loc: ['body', 'stream_options', 'include_usage'], msg: 'Extra inputs are not permitted', input: true },
          { type: 'extra_forbidden', loc: ['body', 'seed'], msg: 'Extra inputs are not permitted', input: 7 },
        ],
      },
      type: 'invalid_request_error',
      param: null,
      code: null,
    });
    expect((await raw(s, CHAT, 'mk-1', hi('mistral-small-latest', { random_seed: 7 }))).status).toBe(200);
  });

  it('streams end with usage without being asked; capacity is its own answer', async () => {
    const s = await start();
    const text = (await raw(s, CHAT, 'mk-1', hi('mistral-small-latest', { stream: true }))).text;
    expect(text).toContain('"usage":{');
    s.control.failProviderNext('mistral', 'capacity');
    const busy = await raw(s, CHAT, 'mk-2', hi('mistral-small-latest'));
    expect(busy.json()).toMatchObject({ message: 'Service tier capacity exceeded for this model.', type: 'invalid_request_error' });
  });
});
