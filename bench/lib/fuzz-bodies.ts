/**
 * Malformed request bodies for the fuzz test. Every body built here is invalid for the route it
 * is sent to, by construction: a field the proxy (or admin API) validates gets a wrong value, or
 * the bytes are not a JSON object at all. Fields the proxy passes through to GitHub unvalidated
 * (temperature, tools, …) are upstream's to judge and are left alone.
 */

export type Rng = () => number;

export const pick = <T>(rng: Rng, list: readonly T[]): T => list[Math.floor(rng() * list.length)] as T;
export const int = (rng: Rng, min: number, max: number) => min + Math.floor(rng() * (max - min + 1));

const WRONG_SCALARS: readonly unknown[] = [null, true, false, 0, -1, 1.5, 1e308, '', 'x', [], {}, [1, 2], { a: 1 }];

/** A value that is not a non-empty string. */
export const notAString = (rng: Rng) => pick(rng, WRONG_SCALARS.filter((v) => typeof v !== 'string' || v === ''));

/** `[[[…]]]` or `{"a":{"a":…}}`, `depth` levels (10,000 by default), as JSON text. */
export function deep(depth: number, kind: 'array' | 'object'): string {
  return kind === 'array' ? `${'['.repeat(depth)}${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}

/** Random bytes that are not valid UTF-8 (continuation bytes without a lead, overlongs, surrogates, 0xFF). */
export function badUtf8(rng: Rng, length: number): Buffer {
  const bad = [0x80, 0xbf, 0xc0, 0xc1, 0xf5, 0xfe, 0xff];
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i++) out[i] = rng() < 0.5 ? pick(rng, bad) : int(rng, 0x20, 0x7e);
  out[0] = 0xff;
  return out;
}

/** Turns a JSON text into a body with raw invalid UTF-8 bytes spliced into a string value. */
export function withBadBytes(json: string, marker: string, rng: Rng): Buffer {
  const [before = '', after = ''] = json.split(marker);
  return Buffer.concat([Buffer.from(before), badUtf8(rng, int(rng, 1, 16)), Buffer.from(after)]);
}

export type Route = 'chat' | 'embeddings';

const validChat = () => ({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'hello' }] });
const validEmbeddings = () => ({ model: 'openai/text-embedding-3-small', input: 'hello' });

/** Wrong values for each field the proxy validates (each alone is enough to refuse the body). */
function wrongField(route: Route, rng: Rng): Record<string, unknown> {
  if (route === 'embeddings') {
    const body: Record<string, unknown> = validEmbeddings();
    if (rng() < 0.5) body.model = notAString(rng);
    else body.input = pick(rng, [null, 5, true, {}, [], [null], [[]], [1, 'a'], [{}], [[1], 'x'], { input: 'x' }]);
    return body;
  }
  const body: Record<string, unknown> = validChat();
  switch (int(rng, 0, 4)) {
    case 0:
      body.model = notAString(rng);
      break;
    case 1:
      body.messages = pick(rng, [null, 'hello', 5, true, {}, [], { role: 'user' }]);
      break;
    case 2:
      body.messages = [pick(rng, [null, 'hello', 5, [], [{ role: 'user' }], true])];
      break;
    case 3:
      body.messages = [{ role: pick(rng, [null, 5, '', [], {}, true]), content: 'hello' }];
      break;
    default:
      body.stream = pick(rng, [null, 'true', 1, 0, [], {}, 'yes']);
  }
  return body;
}

/** One malformed body for an inference route, with a short description. */
export function inferenceBody(route: Route, rng: Rng): { what: string; body: Buffer; contentType: string | null } {
  const json = 'application/json';
  const valid = JSON.stringify(route === 'chat' ? validChat() : validEmbeddings());
  const field = route === 'chat' ? 'messages' : 'input';
  switch (int(rng, 0, 11)) {
    case 0:
      return { what: 'a wrong type for a field', body: Buffer.from(JSON.stringify(wrongField(route, rng))), contentType: json };
    case 1: {
      const where = int(rng, 0, 5);
      if (where === 5) return { what: 'a body over the 10 MB limit', body: Buffer.from(JSON.stringify({ ...JSON.parse(valid), note: 'n'.repeat(11 * 2 ** 20) })), contentType: json };
      // A huge unknown model name, or a huge string beside a field of the wrong type.
      const size = where <= 1 ? pick(rng, [10_000, 100_000, 1_000_000]) : pick(rng, [100_000, 1_000_000, 5_000_000]);
      const body = where <= 1 ? { ...JSON.parse(valid), model: 'm'.repeat(size) } : { ...wrongField(route, rng), note: 'n'.repeat(size) };
      return { what: `a ${size}-character string (${where <= 1 ? 'model' : 'beside a wrong field'})`, body: Buffer.from(JSON.stringify(body)), contentType: json };
    }
    case 2: {
      const variant = int(rng, 0, 3);
      const nested = [deep(10_000, 'array'), `{"model":${deep(10_000, 'array')},"${field}":[]}`, `{"model":"openai/gpt-4o-mini","${field}":${deep(10_000, 'array')}}`, deep(10_000, 'object')][variant] ?? '';
      return { what: `10,000 levels of nesting (variant ${variant})`, body: Buffer.from(nested), contentType: json };
    }
    case 3: {
      const variant = int(rng, 0, 2);
      const body = [`[${valid}]`, route === 'chat' ? '{"model":"openai/gpt-4o-mini","messages":[[{"role":"user"}]]}' : '{"model":[],"input":"x"}', route === 'chat' ? '{"model":"openai/gpt-4o-mini","messages":["hello"]}' : '{"model":{"id":"x"},"input":["a"]}'][variant] ?? '';
      return { what: `an array where an object goes (variant ${variant})`, body: Buffer.from(body), contentType: json };
    }
    case 4: {
      const variant = int(rng, 0, 2);
      if (variant === 0) return { what: 'random bytes, not UTF-8', body: badUtf8(rng, int(rng, 1, 2_000)), contentType: json };
      if (variant === 1) return { what: 'bad UTF-8 inside the model name', body: withBadBytes(JSON.stringify({ ...JSON.parse(valid), model: 'openai/gpt-4o-miniMARK' }), 'MARK', rng), contentType: json };
      return { what: 'bad UTF-8 inside a key, required field missing', body: withBadBytes(`{"moMARKdel":"openai/gpt-4o-mini","${field}":${route === 'chat' ? '[{"role":"user","content":"x"}]' : '"x"'}}`, 'MARK', rng), contentType: json };
    }
    case 5: {
      const cut = int(rng, 0, valid.length - 2);
      return { what: `JSON cut after ${cut} bytes`, body: Buffer.from(valid.slice(0, cut)), contentType: json };
    }
    case 6:
      return { what: 'an empty body', body: Buffer.alloc(0), contentType: rng() < 0.5 ? json : null };
    case 7: {
      const type = pick(rng, ['text/plain', 'text/html', 'application/xml', 'multipart/form-data; boundary=x', 'application/x-www-form-urlencoded', 'application/octet-stream', 'image/png', 'garbage', ';;;']);
      return { what: `a valid body sent as ${type}`, body: Buffer.from(valid), contentType: type };
    }
    case 8: {
      const text = pick(rng, ['null', 'true', '123', '"hello"', '[]', '{}', '-0', '1e999']);
      return { what: `JSON ${text}`, body: Buffer.from(text), contentType: json };
    }
    case 9: {
      const text = pick(rng, [`{"model":"x",}`, `{'model':'x'}`, `{"model":NaN}`, `{"model":"x" /* c */}`, `{"model":"x"}{"model":"y"}`, `{"model":"\\uZZZZ"}`, `{"model" "x"}`, `{model:"x"}`]);
      return { what: `invalid JSON ${text}`, body: Buffer.from(text), contentType: json };
    }
    case 10: {
      const text = pick(rng, [`{"__proto__":{"admin":true},"model":1}`, `{"constructor":{"prototype":{"x":1}},"model":{}}`, `{"model":"openai/gpt-4o-mini","${field}":null,"__proto__":{"polluted":true}}`]);
      return { what: 'prototype-pollution keys', body: Buffer.from(text), contentType: json };
    }
    default: {
      // Everything wrong at once: every validated field gets a wrong type.
      const body = route === 'chat' ? { model: notAString(rng), messages: notAString(rng), stream: 'yes' } : { model: notAString(rng), input: { nested: [1, { deep: true }] } };
      return { what: 'every validated field of a wrong type', body: Buffer.from(JSON.stringify(body)), contentType: json };
    }
  }
}

/** Admin API routes that take a body, with bodies their schemas refuse. */
export function adminBody(rng: Rng): { method: string; path: string; what: string; body: Buffer } {
  const route = int(rng, 0, 4);
  const text = (v: unknown) => Buffer.from(JSON.stringify(v));
  if (route === 0) {
    const wrong: Array<Record<string, unknown>> = [
      { host: 5 }, { host: '' }, { port: 'x' }, { port: -1 }, { port: 70_000 }, { port: 1.5 }, { strategy: 'bogus' }, { maxWaitMs: -1 }, { maxWaitMs: 'x' },
      { defaultCooldownSeconds: 0 }, { throttling: 'x' }, { throttling: { enabled: 'yes' } }, { throttling: { minIntervalMs: -5 } }, { inboundRateLimit: { perMinute: 0 } },
      { apiKey: 'short' }, { apiKey: 5 }, { allowedOrigins: 'x' }, { allowedOrigins: ['not a url'] }, { timeouts: { connectMs: 1 } }, { timeouts: 'x' },
      { notifications: { rotation: 'yes' } }, { launchAtLogin: 'yes' }, { bogus: 1 }, { schemaVersion: 2 }, { accounts: [] }, { port: null },
    ];
    return { method: 'PATCH', path: '/admin/api/settings', what: 'settings patch with a wrong field', body: rng() < 0.2 ? Buffer.from(pick(rng, ['[]', 'null', '"x"', '{', deep(10_000, 'array')])) : text(pick(rng, wrong)) };
  }
  if (route === 1) {
    const wrong = [{ token: 5 }, { token: '' }, { token: '   ' }, { token: 't'.repeat(401) }, { token: 'ghp_x', plan: 'bogus' }, { token: 'ghp_x', key: 'bad key!' }, { token: 'ghp_x', extra: 1 }, {}, { token: null }, [{ token: 'ghp_x' }]];
    return { method: 'POST', path: '/admin/api/accounts', what: 'add-account body of a wrong shape', body: text(pick(rng, wrong)) };
  }
  if (route === 2) {
    const wrong = [{ keys: 'x' }, { keys: [] }, { keys: [5] }, { keys: [''] }, { keys: ['a'], extra: 1 }, {}, [], null];
    return { method: 'PUT', path: '/admin/api/accounts/order', what: 'reorder body of a wrong shape', body: text(pick(rng, wrong)) };
  }
  if (route === 3) {
    const wrong = [{ account: 5 }, { model: '' }, { account: '' }, { extra: 1 }, { model: [] }, [], 'x', 5];
    return { method: 'POST', path: '/admin/api/reset', what: 'reset body of a wrong shape', body: text(pick(rng, wrong)) };
  }
  const wrong = [{ plan: 'bogus' }, { disabled: 'yes' }, { disabled: 1 }, { extra: true }, { plan: null }, [], 'x'];
  return { method: 'PATCH', path: `/admin/api/accounts/${pick(rng, ['GITHUB_TOKEN', 'nope', 'x'.repeat(200)])}`, what: 'account patch of a wrong shape', body: text(pick(rng, wrong)) };
}
