import { describe, expect, it } from 'vitest';
import { BREAKER_THRESHOLD, HALF_OPEN_AFTER_MS } from './account';
import { badCredentials, forbidden, serverError, tooLarge, unknownModel } from './test-support/fixtures';
import { DeadlinePassed } from './deadline';
import { gpt41, makeHarness, mini, request, TOKENS, twoAccounts } from './test-support/harness';

describe('401: the account is invalid until its token is replaced', () => {
  it('moves the request on, marks the account, and never uses it again', async () => {
    const h = makeHarness();
    await h.accounts(twoAccounts());
    h.upstream.queue(TOKENS.one, mini.id, badCredentials());
    const result = await h.serve();
    expect(result.ok && result.account).toBe('GITHUB_TOKEN2');
    expect(h.kinds('account-invalid')).toEqual([{ kind: 'account-invalid', account: 'GITHUB_TOKEN', login: 'alice', reason: 'Bad credentials' }]);
    expect(h.kinds('rotated')).toMatchObject([{ from: 'GITHUB_TOKEN', to: 'GITHUB_TOKEN2', reason: 'invalid', resetsAt: null }]);
    const view = h.pool.snapshot().accounts[0]!;
    expect(view.status).toBe('invalid');
    expect(view.statusReason).toBe('Bad credentials');

    h.settings.strategy = 'round-robin';
    for (let i = 0; i < 3; i++) await h.serve();
    expect(h.upstream.callsFor(TOKENS.one)).toHaveLength(1);

    // The same token again: still invalid. A new token: usable again.
    await h.accounts(twoAccounts());
    expect(h.pool.snapshot().accounts[0]!.status).toBe('invalid');
    const replaced = 'gho_ReplacementTokenForAliceZZZZ11';
    await h.accounts([{ key: 'GITHUB_TOKEN', token: replaced, login: 'alice' }, twoAccounts()[1]!]);
    expect(h.pool.snapshot().accounts[0]!.status).toBe('ok');
    h.settings.strategy = 'sticky';
    h.upstream.always(TOKENS.two, '*', serverError(503));
    const after = await h.serve();
    expect(after.ok && after.account).toBe('GITHUB_TOKEN');
  });
});

describe('403: (account, model) forbidden', () => {
  it('moves on for that model only', async () => {
    const h = makeHarness();
    await h.accounts(twoAccounts().slice(0, 1));
    h.upstream.queue(TOKENS.one, gpt41.id, forbidden());
    const refused = await h.send(gpt41);
    expect(!refused.ok && refused.error.status).toBe(403);
    expect(!refused.ok && refused.error.type).toBe('permission_error');
    expect(h.kinds('model-forbidden')).toEqual([{ kind: 'model-forbidden', account: 'GITHUB_TOKEN', model: gpt41.id }]);
    const served = await h.serve(mini);
    expect(served.ok && served.account).toBe('GITHUB_TOKEN');
    const again = await h.send(gpt41);
    expect(again.ok).toBe(false);
    expect(h.upstream.callsFor(TOKENS.one, gpt41.id)).toHaveLength(1);
    expect(h.pool.snapshot().accounts[0]!.blocks).toEqual([
      { model: gpt41.id, reason: 'forbidden', limitType: null, source: 'upstream-403', until: null, retryAfterSeconds: null },
    ]);
  });

  it('rotates to an account that may use the model', async () => {
    const h = makeHarness();
    await h.accounts(twoAccounts());
    h.upstream.queue(TOKENS.one, gpt41.id, forbidden());
    const result = await h.serve(gpt41);
    expect(result.ok && result.account).toBe('GITHUB_TOKEN2');
    expect(h.kinds('rotated')).toMatchObject([{ reason: 'forbidden' }]);
  });
});

describe('400/404/413 are not the account\'s fault', () => {
  it('returns upstream\'s status and message at once, without trying another account', async () => {
    const h = makeHarness();
    await h.accounts(twoAccounts());
    h.upstream.queue(TOKENS.one, mini.id, unknownModel());
    const notFound = await h.send();
    expect(notFound.ok).toBe(false);
    if (notFound.ok) return;
    expect(notFound.error).toMatchObject({ status: 404, type: 'not_found_error', code: 'unknown_model', message: 'Unknown model: /Phi-3.5-MoE-instruct' });
    expect(h.upstream.calls).toHaveLength(1);

    h.upstream.queue(TOKENS.one, mini.id, tooLarge());
    const large = await h.send();
    expect(!large.ok && large.error).toMatchObject({ status: 413, type: 'invalid_request_error', code: 'tokens_limit_reached' });
    expect(h.upstream.calls).toHaveLength(2);
    expect(h.pool.snapshot().accounts[0]!.status).toBe('ok');
  });
});

describe('5xx, resets and hangs', () => {
  it('a 500 is retried on another account; failures counts consecutive failures', async () => {
    const h = makeHarness();
    await h.accounts(twoAccounts());
    h.upstream.queue(TOKENS.one, mini.id, serverError(500));
    const result = await h.serve();
    expect(result.ok && result.account).toBe('GITHUB_TOKEN2');
    expect(h.kinds('rotated')).toMatchObject([{ from: 'GITHUB_TOKEN', to: 'GITHUB_TOKEN2', reason: 'error' }]);
    expect(h.pool.snapshot().accounts[0]!.failures).toBe(1);
    h.settings.strategy = 'round-robin';
    await h.serve(); // round robin goes back to GITHUB_TOKEN, which now succeeds
    expect(h.upstream.callsFor(TOKENS.one)).toHaveLength(2);
    expect(h.pool.snapshot().accounts[0]!.failures).toBe(0);
  });

  it('a connection reset is retried on another account', async () => {
    const h = makeHarness();
    await h.accounts(twoAccounts());
    h.upstream.queue(TOKENS.one, mini.id, { network: 'connection_reset' });
    const result = await h.serve();
    expect(result.ok && result.account).toBe('GITHUB_TOKEN2');
    expect(h.observations).toContainEqual(expect.objectContaining({ type: 'upstream', account: 'GITHUB_TOKEN', status: 0 }));
  });

  it('a hang (first-byte timeout) is retried on another account', async () => {
    const h = makeHarness();
    await h.accounts(twoAccounts());
    const t0 = h.clock.now();
    h.upstream.queue(TOKENS.one, mini.id, { network: 'first_byte_timeout', afterMs: 60_000 });
    const pending = h.send();
    await h.clock.advance(60_000);
    const result = await pending;
    expect(result.ok && result.account).toBe('GITHUB_TOKEN2');
    expect(h.upstream.calls.map((c) => [c.token, c.at - t0])).toEqual([
      [TOKENS.one, 0],
      [TOKENS.two, 60_000],
    ]);
  });

  it('when every attempt fails: 502 with the last upstream message, after bounded retries with backoff', async () => {
    const h = makeHarness();
    await h.accounts(twoAccounts().slice(0, 1));
    h.upstream.always(TOKENS.one, '*', serverError(502));
    const pending = h.send();
    await h.clock.advance(10_000);
    const result = await pending;
    expect(!result.ok && result.error).toMatchObject({ status: 502, type: 'upstream_error' });
    expect(!result.ok && result.error.message).toContain('502 Internal Server Error');
    const times = h.upstream.calls.map((c) => c.at - h.upstream.calls[0]!.at);
    expect(times).toEqual([0, 250, 750]);
  });

  it('timeouts on every attempt answer 504', async () => {
    const h = makeHarness();
    await h.accounts(twoAccounts().slice(0, 1));
    h.upstream.always(TOKENS.one, '*', { network: 'first_byte_timeout', afterMs: 1_000 });
    const pending = h.send();
    await h.clock.advance(10_000);
    const result = await pending;
    expect(!result.ok && result.error).toMatchObject({ status: 504, code: 'upstream_timeout' });
  });

  it('the circuit opens after N consecutive failures and half-opens to probe', async () => {
    const h = makeHarness({ maxWaitMs: 0 });
    await h.accounts(twoAccounts().slice(0, 1));
    h.upstream.always(TOKENS.one, '*', serverError(500));
    const first = h.send();
    await h.clock.advance(5_000);
    await first;
    const second = h.send();
    await h.clock.advance(5_000);
    const failed = await second;
    expect(h.upstream.calls).toHaveLength(BREAKER_THRESHOLD);
    expect(!failed.ok && failed.error.status).toBe(502);
    const opened = h.kinds('circuit-opened');
    expect(opened).toHaveLength(1);
    const until = opened[0]!.kind === 'circuit-opened' ? opened[0]!.until : 0;
    let view = h.pool.snapshot().accounts[0]!;
    expect(view).toMatchObject({ status: 'circuit-open', circuit: 'open', failures: BREAKER_THRESHOLD });

    const refused = await h.send();
    expect(!refused.ok && refused.error).toMatchObject({ status: 503, code: 'accounts_unavailable' });
    expect(!refused.ok && refused.error.retryAfterSeconds).toBe(Math.ceil((until - h.clock.now()) / 1000));
    expect(h.upstream.calls).toHaveLength(BREAKER_THRESHOLD);

    await h.clock.advance(HALF_OPEN_AFTER_MS);
    expect(h.pool.snapshot().accounts[0]!.circuit).toBe('half-open');
    h.upstream.always(TOKENS.one, '*', { status: 200, body: '{}' });
    const probe = await h.serve();
    expect(probe.ok).toBe(true);
    view = h.pool.snapshot().accounts[0]!;
    expect(view).toMatchObject({ status: 'ok', circuit: 'closed', failures: 0 });
    expect(h.kinds('recovered')).toEqual([{ kind: 'recovered', account: 'GITHUB_TOKEN', model: null }]);
  });

  it('a failed probe reopens the circuit at once', async () => {
    const h = makeHarness({ maxWaitMs: 0 });
    await h.accounts(twoAccounts().slice(0, 1));
    h.upstream.always(TOKENS.one, '*', serverError(500));
    for (let i = 0; i < 2; i++) {
      const p = h.send();
      await h.clock.advance(5_000);
      await p;
    }
    await h.clock.advance(HALF_OPEN_AFTER_MS);
    const before = h.upstream.calls.length;
    const probe = await h.send();
    expect(probe.ok).toBe(false);
    expect(h.upstream.calls.length).toBe(before + 1);
    expect(h.kinds('circuit-opened')).toHaveLength(2);
    expect(h.pool.snapshot().accounts[0]!.circuit).toBe('open');
  });
});

describe('deadline and abort', () => {
  it('retries stop at the total deadline: 504', async () => {
    const h = makeHarness({ timeouts: { totalDeadlineMs: 90_000 } });
    await h.accounts(twoAccounts());
    const t0 = h.clock.now();
    h.upstream.always(TOKENS.one, '*', { network: 'first_byte_timeout', afterMs: 60_000 });
    h.upstream.always(TOKENS.two, '*', { hang: true });
    let doneAt = 0;
    const pending = h.send().then((r) => ((doneAt = h.clock.now()), r));
    await h.clock.advance(200_000);
    const result = await pending;
    expect(!result.ok && result.error).toMatchObject({ status: 504, code: 'upstream_timeout' });
    expect(doneAt - t0).toBe(90_000);
    expect(h.upstream.calls).toHaveLength(2);
    const snap = h.pool.snapshot();
    expect(snap.traffic.inFlight).toBe(0);
    expect(snap.accounts.map((a) => a.usage[0]?.inFlight ?? 0)).toEqual([0, 0]);
  });

  it('a controller lent by the caller (no second one per request) ends at the deadline as the pool\'s own does: 504, the hung account counted', async () => {
    const run = async (lend: boolean) => {
      const h = makeHarness({ timeouts: { totalDeadlineMs: 90_000 } });
      await h.accounts(twoAccounts());
      h.upstream.always(TOKENS.one, '*', { network: 'first_byte_timeout', afterMs: 60_000 });
      h.upstream.always(TOKENS.two, '*', { hang: true });
      const ctrl = new AbortController();
      const pending = h.pool.dispatch({ ...request(mini, ctrl.signal), ...(lend ? { controller: ctrl } : {}) });
      await h.clock.advance(200_000);
      const result = await pending;
      return { error: !result.ok && result.error, failures: h.pool.snapshot().accounts.map((a) => a.failures), traffic: h.pool.snapshot().traffic, aborted: ctrl.signal.aborted, reason: ctrl.signal.reason as unknown };
    };
    const own = await run(false);
    const lent = await run(true);
    expect(own.error).toMatchObject({ status: 504, code: 'upstream_timeout' });
    expect(own.failures).toEqual([1, 1]);
    expect(own.aborted).toBe(false);
    expect(lent.error).toEqual(own.error);
    expect(lent.failures).toEqual(own.failures);
    expect(lent.traffic).toMatchObject({ inFlight: 0, queued: 0 });
    // The lent controller carries the deadline, said as such (not a client that left).
    expect(lent.aborted).toBe(true);
    expect(lent.reason).toBeInstanceOf(DeadlinePassed);
  });

  it('a lent controller aborted by the client stops at once: client_closed_request, nothing counted', async () => {
    const h = makeHarness();
    await h.accounts(twoAccounts());
    h.upstream.always(TOKENS.one, '*', { hang: true });
    const ctrl = new AbortController();
    const pending = h.pool.dispatch({ ...request(mini, ctrl.signal), controller: ctrl });
    await h.clock.advance(1_000);
    ctrl.abort();
    const result = await pending;
    expect(!result.ok && result.error.code).toBe('client_closed_request');
    expect(h.upstream.calls).toHaveLength(1);
    expect(h.pool.snapshot().accounts[0]).toMatchObject({ failures: 0, circuit: 'closed' });
  });

  it('an abort during the upstream call stops at once: no retry, slot released', async () => {
    const h = makeHarness();
    await h.accounts(twoAccounts());
    h.upstream.always(TOKENS.one, '*', { hang: true });
    const ctrl = new AbortController();
    const pending = h.send(mini, { signal: ctrl.signal });
    await h.clock.advance(1_000);
    ctrl.abort();
    const result = await pending;
    expect(!result.ok && result.error.code).toBe('client_closed_request');
    expect(h.upstream.calls).toHaveLength(1);
    expect(h.pool.snapshot().traffic).toMatchObject({ inFlight: 0, queued: 0 });
    expect(h.pool.snapshot().accounts[0]).toMatchObject({ failures: 0, circuit: 'closed' });
  });

  it('an abort while waiting for a reset stops at once and leaves the queue', async () => {
    const h = makeHarness({ maxWaitMs: 20_000 });
    await h.accounts(twoAccounts().slice(0, 1));
    h.upstream.queue(TOKENS.one, mini.id, { status: 429, headers: { 'x-ratelimit-type': 'UserByModelByMinute', 'retry-after': '15' }, body: '' });
    const ctrl = new AbortController();
    const pending = h.send(mini, { signal: ctrl.signal });
    await h.clock.advance(1_000);
    expect(h.pool.snapshot().traffic.queued).toBe(1);
    ctrl.abort();
    const result = await pending;
    expect(!result.ok && result.error.code).toBe('client_closed_request');
    expect(h.pool.snapshot().traffic).toMatchObject({ inFlight: 0, queued: 0 });
    await h.clock.advance(20_000);
    expect(h.upstream.calls).toHaveLength(1);
  });
});

describe('a non-streamed answer larger than the setting (issue 15 item 8)', () => {
  it('is refused clearly instead of held whole in memory, and frees its slot', async () => {
    const h = makeHarness({ maxAnswerBytes: 1024 });
    await h.accounts(twoAccounts().slice(0, 1));
    h.upstream.queue(TOKENS.one, mini.id, { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id: 'x', pad: 'y'.repeat(5000) }) });
    const refused = await h.send(mini);
    expect(!refused.ok && refused.error.status).toBe(502);
    expect(!refused.ok && refused.error.code).toBe('answer_too_large');
    expect(!refused.ok && refused.error.message).toContain('settings.maxAnswerBytes');
    expect(h.pool.snapshot().traffic.inFlight).toBe(0);
    const served = await h.serve(mini);
    expect(served.ok).toBe(true);
  });
});
