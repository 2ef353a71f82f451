import { describe, expect, it } from 'vitest';
import { failure, hi, raw, sdk, simulators, virtualClock } from './test-client';

const open = simulators();

const MODEL = '@cf/meta/llama-3.1-8b-instruct';
const base = (account: string) => `/cloudflare/client/v4/accounts/${account}/ai/v1`;

async function start(now: () => number) {
  return open({
    now,
    keys: [
      { provider: 'cloudflare', key: 'cf-token-1', owner: 'acct-1' },
      { provider: 'cloudflare', key: 'cf-token-2', owner: 'acct-1' },
      { provider: 'cloudflare', key: 'cf-token-3', owner: 'acct-3', accountId: '0123abcd' },
    ],
    providers: { cloudflare: { limits: { neuronsPerDay: 6, rpm: 2 } } },
  });
}

describe('Cloudflare Workers AI dialect', () => {
  it('serves below the account path; a token used on another account is refused in the v4 envelope', async () => {
    const s = await start(virtualClock().now);
    const reply = await sdk(s, 'cloudflare', 'cf-token-3', '0123abcd').chat.completions.create(hi(MODEL));
    expect(reply.model).toBe(MODEL);
    const wrong = await raw(s, `${base('acct-1')}/chat/completions`, 'cf-token-3', hi(MODEL));
    expect(wrong.status).toBe(401);
    expect(wrong.json()).toEqual({ errors: [{ code: 10000, message: 'Authentication error' }], success: false, result: null, messages: [] });
    const verify = await raw(s, '/cloudflare/client/v4/user/tokens/verify', 'cf-token-1');
    expect(verify.json()).toMatchObject({ success: true, result: { status: 'active' } });
    expect(verify.text).not.toContain('cf-token-1');
  });

  it("code 3021 for the per-account request rate (with retry-after), 4006 when the day's neurons are gone, until 00:00 UTC", async () => {
    const clock = virtualClock(Date.UTC(2026, 8, 1, 20, 0, 0));
    const s = await start(clock.now);
    const path = `${base('acct-1')}/chat/completions`;
    expect((await raw(s, path, 'cf-token-1', hi(MODEL))).status).toBe(200);
    expect((await raw(s, path, 'cf-token-2', hi(MODEL))).status).toBe(200);
    const rate = await raw(s, path, 'cf-token-1', hi(MODEL));
    expect(rate.json().errors[0].code).toBe(3021);
    expect(rate.headers['retry-after']).toBe('60');
    clock.advance(60_000);
    await raw(s, path, 'cf-token-2', hi('@cf/meta/llama-3.3-70b-instruct-fp8-fast'));
    const gone = await failure(sdk(s, 'cloudflare', 'cf-token-1', 'acct-1').chat.completions.create(hi(MODEL)));
    expect(gone.status).toBe(429);
    const body = (await raw(s, path, 'cf-token-1', hi(MODEL))).json();
    expect(body.success).toBe(false);
    expect(body.errors[0]).toEqual({ code: 4006, message: "you have used up your daily free allocation of 6 neurons, please upgrade to Cloudflare's Workers Paid plan if you would like to continue usage." });
    clock.t = Date.UTC(2026, 8, 1, 23, 59, 59);
    expect((await raw(s, path, 'cf-token-1', hi(MODEL))).json().errors[0].code).toBe(4006);
    clock.t = Date.UTC(2026, 8, 2);
    expect((await raw(s, path, 'cf-token-1', hi(MODEL))).status).toBe(200);
  });
});
