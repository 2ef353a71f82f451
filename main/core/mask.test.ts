import { describe, expect, it } from 'vitest';
import { createRedactor, maskToken, scrubTokens } from './mask';

describe('scrubTokens: every provider key shape', () => {
  const keys = [
    'ghp_ZYXWVUTSRQPONMLKJIHGFEDCBA9876543210ab',
    'github_pat_11AAAAAAA0abcdefghijklmnopqrstuvwxyz_0123456789',
    '0123456789abcdef0123456789abcdef01234567',
    'gsk_abcdefghijklmnopqrstuvwxyz0123456789ABCD',
    'sk-proj-abcdefghijklmnopqrstuvwxyz0123456789',
    'sk-or-v1-0123456789abcdef0123456789abcdef0123456789abcdef',
    'sk-ant-api03-abcdefghijklmnopqrstuvwxyz0123456789',
    'csk-abcdefghijklmnopqrstuvwxyz012345',
    'AIzaSyA1234567890abcdefghijklmnopqrstuv',
    'nvapi-abcdefghijklmnopqrstuvwxyz0123456789_-AB',
  ];
  for (const key of keys) {
    it(`masks ${key.slice(0, 8)}…`, () => {
      const out = scrubTokens(`upstream said: ${key}, retry`);
      expect(out).toBe(`upstream said: ${maskToken(key)}, retry`);
    });
  }

  it('masks 32-character keys without a prefix after Bearer / key / token words', () => {
    const key = 'a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6';
    for (const text of [`Bearer ${key}`, `api-key: ${key}`, `"token":"${key}"`, `key=${key}`]) {
      expect(scrubTokens(text)).not.toContain(key);
      expect(scrubTokens(text)).toContain(maskToken(key));
    }
  });

  it('leaves ordinary text alone', () => {
    const text = 'GITHUB_TOKEN2 hit UserByMinute for openai/gpt-4o-mini; request id 4F2A:1B3C:9D8E; retry in 42 s';
    expect(scrubTokens(text)).toBe(text);
  });
});

describe('createRedactor', () => {
  it('masks the literal keys its sources hold, following changes, in text and deep values', () => {
    const held = ['opaque-key-without-shape-123'];
    const redactor = createRedactor(() => held);
    expect(redactor.redact('echo: opaque-key-without-shape-123!')).toBe(`echo: ${maskToken(held[0] as string)}!`);
    held.push('another-opaque-value-456');
    expect(redactor.redactDeep({ a: ['x another-opaque-value-456'], 'opaque-key-without-shape-123': 1 })).toEqual({ a: [`x ${maskToken('another-opaque-value-456')}`], [maskToken('opaque-key-without-shape-123')]: 1 });
    held.length = 0;
    expect(redactor.redact('opaque-key-without-shape-123')).toBe('opaque-key-without-shape-123');
  });

  it('ignores short values (they would match ordinary words) and tracks more sources', () => {
    const redactor = createRedactor(() => ['short', null, undefined]);
    const untrack = redactor.track(() => ['tracked-secret-value']);
    expect(redactor.redact('short tracked-secret-value')).toBe(`short ${maskToken('tracked-secret-value')}`);
    untrack();
    expect(redactor.secrets()).toEqual([]);
  });

  it('redactLiterals leaves key shapes alone (for machine-read text)', () => {
    const redactor = createRedactor(() => ['held-secret-value-1']);
    expect(redactor.redactLiterals('held-secret-value-1 ghp_ZYXWVUTSRQPONMLKJIHGFEDCBA98')).toBe(`${maskToken('held-secret-value-1')} ghp_ZYXWVUTSRQPONMLKJIHGFEDCBA98`);
  });
});

describe('createRedactor with many held keys', () => {
  // The same replacements as looking for every key one after another (the finder only skips keys absent from the text).
  const naive = (text: string, secrets: string[]) => {
    let out = text;
    for (const secret of [...secrets].sort((a, b) => b.length - a.length)) if (out.includes(secret)) out = out.split(secret).join(maskToken(secret));
    return out;
  };

  it('masks every occurrence of any of a thousand keys, as a key-by-key search would', () => {
    const secrets = Array.from({ length: 1000 }, (_, i) => `k${i.toString(36)}Zq${'x'.repeat(i % 7)}${(i * 7919).toString(36)}`).filter((s) => s.length >= 8);
    const redactor = createRedactor(() => secrets);
    let seed = 7;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % n);
    for (let round = 0; round < 40; round++) {
      const parts: string[] = [];
      for (let j = 0; j < 30; j++) parts.push(rand(3) === 0 ? secrets[rand(secrets.length)]! : `word${rand(1000)} `);
      const text = parts.join(rand(2) ? '' : '"');
      const out = redactor.redactLiterals(text);
      expect(out).toBe(naive(text, secrets));
      for (const secret of secrets) expect(out.includes(secret)).toBe(false);
    }
  });

  it('masks keys that overlap or sit at the very start and end of the text', () => {
    const secrets = [...Array.from({ length: 40 }, (_, i) => `filler-key-${i}-abcdef`), 'abcdefgh1234', 'gh1234XYZW', 'ZZZZZZZZ'];
    const redactor = createRedactor(() => secrets);
    for (const text of ['abcdefgh1234XYZW', 'ZZZZZZZZ', 'xZZZZZZZZZ', 'gh1234XYZWabcdefgh1234', 'filler-key-3-abcdef']) {
      expect(redactor.redactLiterals(text)).toBe(naive(text, secrets));
    }
  });
});
