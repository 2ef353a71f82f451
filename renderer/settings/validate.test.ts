import { describe, expect, it } from 'vitest';
import { readNumber, validateHost, validatePatch, validateToken } from './validate';

describe('validatePatch', () => {
  it('accepts a valid patch', () => {
    expect(validatePatch({ host: '127.0.0.1', port: 4000, throttling: { enabled: true, minIntervalMs: 2000 } })).toEqual({});
  });

  it('names the field and the rule in plain words', () => {
    expect(validatePatch({ port: 70000 })).toEqual({ port: 'Port must be 65535 or less.' });
    expect(validatePatch({ port: 1.5 })).toEqual({ port: 'Port must be a whole number.' });
    expect(validatePatch({ host: '' })).toEqual({ host: 'Host is required.' });
    expect(validatePatch({ inboundRateLimit: { perMinute: 0 } })).toEqual({
      'inboundRateLimit.perMinute': 'Requests per minute (RATE_LIMIT_PER_MINUTE) must be 1 or more.',
    });
    expect(validatePatch({ throttling: { minIntervalMs: -5 } })).toEqual({
      'throttling.minIntervalMs': 'Minimum interval (MODEL_MIN_INTERVAL_MS) must be 0 or more.',
    });
  });
});

describe('readNumber', () => {
  it('reads digits', () => expect(readNumber(' 2000 ', 'maxWaitMs')).toEqual({ value: 2000 }));
  it('asks for a value when empty', () => expect(readNumber('  ', 'port')).toEqual({ error: 'Port is required.' }));
  it('refuses words and units', () => {
    expect(readNumber('2s', 'maxWaitMs')).toEqual({ error: 'Maximum wait (ms) must be a number, written with digits only (like 2000).' });
  });
});

describe('validateToken', () => {
  const token = 'gho_' + 'a'.repeat(36);
  it('accepts a token', () => expect(validateToken(token)).toBeNull());
  it('asks for one when empty', () => expect(validateToken('   ')).toBe('Paste a GitHub token first.'));
  it('refuses spaces inside', () => expect(validateToken(`${token} x`)).toMatch(/no spaces/));
  it('refuses something too short', () => expect(validateToken('gho_abc')).toMatch(/too short/));
  it('refuses other characters, without echoing the token', () => {
    const message = validateToken(`${token}-é`);
    expect(message).toMatch(/only letters, digits and underscores/);
    expect(message).not.toContain(token);
  });
});

describe('validateHost', () => {
  it('accepts addresses and names', () => {
    expect(validateHost('127.0.0.1')).toBeNull();
    expect(validateHost('localhost')).toBeNull();
  });
  it('explains what is wrong', () => {
    expect(validateHost('')).toMatch(/Host is required/);
    expect(validateHost('http://127.0.0.1')).toMatch(/without http:\/\//);
    expect(validateHost('127.0.0.1/v1')).toMatch(/spaces or slashes/);
  });
});
