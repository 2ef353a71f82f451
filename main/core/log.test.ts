import { Writable } from 'node:stream';
import { setImmediate as tick } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { createLogger, redactTokens } from './log';

const GHO = 'gho_abcdefghijklmnopqrstuvwxyz0123456789Xq';
const GHP = 'ghp_ZYXWVUTSRQPONMLKJIHGFEDCBA9876543210ab';
const PAT = 'github_pat_11AAAAAAA0abcdefghijklmnopqrstuvwxyz_0123456789';
const SK = 'sk-switchyard-Q2hlY2sgdGhpcyBrZXkgaXMgbG9uZw';

function capture(startId: string | (() => string) = 'abcd1234', pretty = false) {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  const logger = createLogger({ startId, level: 'debug', pretty, destination });
  const json = () => lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  return { logger, lines, json };
}

describe('redactTokens', () => {
  it('masks every GitHub token shape and sk- keys like gho_…Xq', () => {
    expect(redactTokens(`a ${GHO} b`)).toBe('a gho_…Xq b');
    expect(redactTokens(`${GHP},${PAT}`)).toBe('ghp_…ab,gith…89');
    expect(redactTokens(`key=${SK}`)).toBe('key=sk-s…Lw'.replace('Lw', SK.slice(-2)));
  });

  it('hides whatever follows Bearer or Basic', () => {
    expect(redactTokens('Authorization: Bearer abc.def-123456789')).toBe('Authorization: Bearer [redacted]');
    expect(redactTokens('basic dXNlcjpwYXNzd29yZA==')).toBe('basic [redacted]');
  });

  it('leaves ordinary words alone, including account keys', () => {
    const text = '[TOKEN-ROTATOR] 429 for token GITHUB_TOKEN2, failures: 1 (model gpt-4o-mini)';
    expect(redactTokens(text)).toBe(text);
  });
});

describe('createLogger', () => {
  it('writes JSON lines carrying startId, the tag as a field, and an ISO time', () => {
    const { logger, json } = capture();
    logger.info({ tag: 'rotation', from: 'GITHUB_TOKEN', to: 'GITHUB_TOKEN2' }, 'switched');
    const [line] = json();
    expect(line).toMatchObject({ level: 30, startId: 'abcd1234', tag: 'rotation', from: 'GITHUB_TOKEN', msg: 'switched' });
    expect(new Date(line!.time as string).toISOString()).toBe(line!.time);
  });

  it('reads a startId function on every line (known only after the logger exists)', () => {
    let id = 'early';
    const { logger, json } = capture(() => id);
    logger.info('one');
    id = 'f00dcafe';
    logger.child({ component: 'proxy' }).warn('two');
    expect(json().map((l) => l.startId)).toEqual(['early', 'f00dcafe']);
  });

  it('lets a line name its own startId without repeating the key', () => {
    const { logger, lines, json } = capture('base');
    logger.info({ tag: 'restart', startId: 'engine42' }, 'started');
    expect(lines[0]!.match(/"startId"/g)).toHaveLength(1);
    expect(json()[0]).toMatchObject({ tag: 'restart', startId: 'engine42' });
  });

  it('redacts secret-named fields at any depth and token-shaped text anywhere', () => {
    const { logger, lines } = capture();
    logger.info({ req: { headers: { authorization: `Bearer ${GHO}`, 'x-switchyard-admin-key': 'k'.repeat(43) } }, account: { token: GHP, apiKey: SK } }, `sent ${GHO}`);
    logger.error({ err: new Error(`upstream refused ${GHP}`) }, 'failed');
    logger.warn({ nested: [{ deep: { text: `see ${PAT}` } }] }, 'nested');
    const out = lines.join('\n');
    for (const secret of [GHO, GHP, PAT, SK, 'k'.repeat(43)]) expect(out).not.toContain(secret);
    expect(out).toContain('"authorization":"[redacted]"');
    expect(out).toContain('"token":"[redacted]"');
    expect(out).toContain('sent gho_…Xq');
    expect(out).toContain('upstream refused ghp_…ab');
  });

  it('keeps fields whose names only look similar (tokens counts, apiKeyRequired)', () => {
    const { logger, json } = capture();
    logger.info({ tokens: 5, apiKeyRequired: true, apiKey: null }, 'counts');
    expect(json()[0]).toMatchObject({ tokens: 5, apiKeyRequired: true, apiKey: null });
  });

  it('writes readable lines with --pretty: start id, [tag], message, and still no token', async () => {
    const { logger, lines } = capture('cafe0001', true);
    logger.info({ tag: 'throttle', model: 'gpt-4o-mini' }, `Model gpt-4o-mini: delay 2000ms ${GHO}`);
    while (lines.length === 0) await tick();
    const text = lines.join('');
    expect(text).toMatch(/cafe0001 \[throttle\] Model gpt-4o-mini: delay 2000ms gho_…Xq/);
    expect(text).not.toContain(GHO);
    expect(() => JSON.parse(text)).toThrow();
  });
});
