import { afterEach, describe, expect, it, vi } from 'vitest';
import type { PushMessage } from '../../shared/api';
import { makeEvent, makeSnapshot } from '../test-support/fixtures';
import { ApiError } from './api-error';
import type { ConnectionState } from './connection';
import { createHttpTransport } from './http-transport';

const ORIGIN = 'http://127.0.0.1:4000';
const KEY = 'admin-key-123';

interface Call {
  url: string;
  init: RequestInit;
}

/** A fetch stub answering from a queue of responders, recording every call. */
function stubFetch(...responders: ((call: Call) => Response | Promise<Response>)[]) {
  const calls: Call[] = [];
  const fetch = vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const call = { url: String(input), init };
    calls.push(call);
    const responder = responders.shift();
    if (!responder) throw new Error(`unexpected fetch ${call.url}`);
    return responder(call);
  });
  return { fetch: fetch as unknown as typeof globalThis.fetch, calls };
}

const json = (body: unknown, status = 200) => () => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const empty = () => () => new Response(null, { status: 204 });
const header = (call: Call, name: string) => new Headers(call.init.headers).get(name);

/** A response body the test writes into chunk by chunk. */
function sseBody() {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const body = new ReadableStream<Uint8Array>({ start: (c) => void (controller = c) });
  const encoder = new TextEncoder();
  return {
    response: () => new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } }),
    write: (text: string) => controller.enqueue(encoder.encode(text)),
    writeBytes: (bytes: Uint8Array) => controller.enqueue(bytes),
    end: () => controller.close(),
  };
}

afterEach(() => vi.useRealTimers());

describe('http transport: requests', () => {
  it('sends the admin key as a bearer token on every call', async () => {
    const snapshot = makeSnapshot();
    const { fetch, calls } = stubFetch(json(snapshot), json([]));
    const api = createHttpTransport({ origin: ORIGIN, adminKey: KEY, fetch });
    expect(await api.getSnapshot()).toEqual(snapshot);
    await api.getEvents();
    expect(calls.map((c) => c.url)).toEqual([`${ORIGIN}/admin/api/snapshot`, `${ORIGIN}/admin/api/events`]);
    for (const call of calls) expect(header(call, 'authorization')).toBe(`Bearer ${KEY}`);
  });

  it('maps each method to its admin route, method and JSON body', async () => {
    const { fetch, calls } = stubFetch(json([]), json({}), empty(), empty(), empty(), json({ cleared: 2 }));
    const api = createHttpTransport({ origin: `${ORIGIN}/`, adminKey: KEY, fetch });
    await api.getEvents({ limit: 50, account: 'GITHUB_TOKEN2', kind: 'rotated' });
    await api.updateSettings({ port: 4100 });
    await api.removeAccount('team/a b');
    await api.updateAccount('GITHUB_TOKEN', { disabled: true });
    await api.reorderAccounts(['B', 'A']);
    expect(await api.reset({ account: 'A' })).toEqual({ cleared: 2 });
    expect(calls.map((c) => `${c.init.method} ${c.url}`)).toEqual([
      `GET ${ORIGIN}/admin/api/events?limit=50&account=GITHUB_TOKEN2&kind=rotated`,
      `PATCH ${ORIGIN}/admin/api/settings`,
      `DELETE ${ORIGIN}/admin/api/accounts/team%2Fa%20b`,
      `PATCH ${ORIGIN}/admin/api/accounts/GITHUB_TOKEN`,
      `PUT ${ORIGIN}/admin/api/accounts/order`,
      `POST ${ORIGIN}/admin/api/reset`,
    ]);
    expect(calls[1]!.init.body).toBe('{"port":4100}');
    expect(header(calls[1]!, 'content-type')).toBe('application/json');
    expect(calls[2]!.init.body).toBeUndefined();
    expect(calls[4]!.init.body).toBe('{"keys":["B","A"]}');
  });

  it('turns an OpenAI-shaped error body into its plain message', async () => {
    const { fetch } = stubFetch(json({ error: { message: 'Port must be between 0 and 65535.', type: 'invalid_request_error', code: 'bad_settings', param: 'port' } }, 400));
    const api = createHttpTransport({ origin: ORIGIN, adminKey: KEY, fetch });
    const error = await api.updateSettings({ port: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ message: 'Port must be between 0 and 65535.', status: 400, code: 'bad_settings' });
  });

  it('explains a refused admin key and an unreachable server in plain words', async () => {
    const { fetch } = stubFetch(json({ error: { message: 'The admin key is wrong.', type: 'authentication_error', code: 'admin_key_invalid' } }, 401), () => {
      throw new TypeError('fetch failed');
    });
    const api = createHttpTransport({ origin: ORIGIN, adminKey: KEY, fetch });
    await expect(api.getSettings()).rejects.toThrow(/refused the dashboard’s admin key.*#key=/);
    await expect(api.getSettings()).rejects.toThrow(`Cannot reach Switchyard at ${ORIGIN}.`);
  });

  it('explains a server error without a body', async () => {
    const { fetch } = stubFetch(() => new Response('oops', { status: 502 }));
    const api = createHttpTransport({ origin: ORIGIN, adminKey: KEY, fetch });
    await expect(api.startProxy()).rejects.toThrow('Switchyard ran into an internal error (HTTP 502). Its log has the details.');
  });
});

describe('http transport: live updates over SSE', () => {
  it('opens the stream with the auth header and parses snapshots and events across chunk boundaries', async () => {
    const sse = sseBody();
    const { fetch, calls } = stubFetch(sse.response);
    const api = createHttpTransport({ origin: ORIGIN, adminKey: KEY, fetch });
    const received: PushMessage[] = [];
    const stop = api.subscribe((m) => received.push(m));
    const snapshot = makeSnapshot({ version: 'v→2' });
    const event = makeEvent(7, 1000, { kind: 'manual-reset', account: null, model: null });
    const snapshotText = `event: snapshot\ndata: ${JSON.stringify(snapshot)}\n\n`;
    const bytes = new TextEncoder().encode(snapshotText);
    const arrow = bytes.findIndex((b) => b === 0xe2); // split inside the multi-byte "→"
    await vi.waitFor(() => expect(calls).toHaveLength(1));
    sse.write(': ping\n\n');
    sse.writeBytes(bytes.slice(0, arrow + 1));
    sse.writeBytes(bytes.slice(arrow + 1));
    sse.write(`event: events\r\ndata: ${JSON.stringify([event]).slice(0, 10)}`);
    sse.write(`${JSON.stringify([event]).slice(10)}\r\n\r\n`);
    sse.write('event: unknown\ndata: {}\n\n');
    await vi.waitFor(() => expect(received).toHaveLength(2));
    expect(received[0]).toEqual({ type: 'snapshot', snapshot });
    expect(received[1]).toEqual({ type: 'events', events: [event] });
    expect(calls[0]!.url).toBe(`${ORIGIN}/admin/api/stream`);
    expect(header(calls[0]!, 'authorization')).toBe(`Bearer ${KEY}`);
    expect(header(calls[0]!, 'accept')).toBe('text/event-stream');
    stop();
    expect(calls[0]!.init.signal?.aborted).toBe(true);
  });

  it('shares one connection among subscribers and closes it with the last one', async () => {
    const sse = sseBody();
    const { fetch, calls } = stubFetch(sse.response);
    const api = createHttpTransport({ origin: ORIGIN, adminKey: KEY, fetch });
    const a: PushMessage[] = [];
    const b: PushMessage[] = [];
    const stopA = api.subscribe((m) => a.push(m));
    const stopB = api.subscribe((m) => b.push(m));
    await vi.waitFor(() => expect(calls).toHaveLength(1));
    sse.write(`event: events\ndata: ${JSON.stringify([makeEvent(1, 1, { kind: 'stopped' })])}\n\n`);
    await vi.waitFor(() => expect(b).toHaveLength(1));
    expect(a).toHaveLength(1);
    stopA();
    expect(calls[0]!.init.signal?.aborted).toBe(false);
    stopB();
    expect(calls[0]!.init.signal?.aborted).toBe(true);
  });

  it('reconnects with growing backoff, and starts over once a message arrives', async () => {
    vi.useFakeTimers();
    vi.setSystemTime(0);
    const later = sseBody();
    const { fetch, calls } = stubFetch(
      () => new Response('down', { status: 503 }),
      () => {
        throw new TypeError('fetch failed');
      },
      later.response,
      () => new Response('down', { status: 503 }),
    );
    const api = createHttpTransport({ origin: ORIGIN, adminKey: KEY, fetch, backoff: { initialMs: 1_000, maxMs: 8_000 } });
    const states: ConnectionState[] = [];
    api.onConnectionChange((s) => states.push(s));
    api.subscribe(() => undefined);
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toHaveLength(1);
    expect(states.at(-1)).toEqual({ state: 'retrying', retryAt: 1_000, reason: 'Lost the connection to Switchyard.' });
    await vi.advanceTimersByTimeAsync(999);
    expect(calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toHaveLength(2);
    expect(states.at(-1)).toMatchObject({ state: 'retrying', retryAt: 3_000 }); // 2 s after the second failure
    await vi.advanceTimersByTimeAsync(2_000);
    expect(calls).toHaveLength(3);
    expect(states.at(-1)).toEqual({ state: 'open' });
    later.write(`event: snapshot\ndata: ${JSON.stringify(makeSnapshot())}\n\n`);
    later.end();
    await vi.advanceTimersByTimeAsync(0);
    // A message arrived, so the next delay is back to the first step.
    expect(states.at(-1)).toEqual({ state: 'retrying', retryAt: 4_000, reason: 'Switchyard closed the live-update stream.' });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(calls).toHaveLength(4);
  });

  it('stops retrying when the admin key is refused', async () => {
    vi.useFakeTimers();
    const { fetch, calls } = stubFetch(json({ error: { message: 'The admin key is wrong.', code: 'admin_key_invalid' } }, 401));
    const api = createHttpTransport({ origin: ORIGIN, adminKey: KEY, fetch });
    const states: ConnectionState[] = [];
    api.onConnectionChange((s) => states.push(s));
    api.subscribe(() => undefined);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(calls).toHaveLength(1);
    expect(states.at(-1)).toMatchObject({ state: 'refused', reason: expect.stringMatching(/refused the dashboard’s admin key/) });
  });
});
