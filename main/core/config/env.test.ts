import { describe, expect, it } from 'vitest';
import { defaultSettings } from '../../../shared/settings';
import { applyOverrides, readEnv } from './env';

describe('readEnv', () => {
  it('reads GITHUB_TOKEN, GITHUB_TOKEN2, … in numeric order, keyed by their names', () => {
    const cfg = readEnv({ GITHUB_TOKEN10: 'c', GITHUB_TOKEN2: 'b', GITHUB_TOKEN: 'a', GITHUB_TOKENX: 'no', GITHUB_TOKEN3: '  ' });
    expect(cfg.accounts).toEqual([
      { key: 'GITHUB_TOKEN', token: 'a' },
      { key: 'GITHUB_TOKEN2', token: 'b' },
      { key: 'GITHUB_TOKEN10', token: 'c' },
    ]);
  });

  it("keeps the old system's names for throttling and inbound limits", () => {
    const cfg = readEnv({ ENABLE_MODEL_THROTTLING: '1', MODEL_MIN_INTERVAL_MS: '2000', RATE_LIMIT_ENABLED: 'true', RATE_LIMIT_PER_MINUTE: '30', PORT: '4100', HOST: '0.0.0.0' });
    const s = applyOverrides(defaultSettings(), cfg.overrides);
    expect(s.throttling).toMatchObject({ enabled: true, minIntervalMs: 2000 });
    expect(s.inboundRateLimit).toEqual({ enabled: true, perMinute: 30 });
    expect(s.port).toBe(4100);
    expect(s.host).toBe('0.0.0.0');
    expect(cfg.warnings).toEqual([]);
  });

  it('warns in plain words about bad values and keeps defaults', () => {
    const cfg = readEnv({ PORT: 'abc', ENABLE_MODEL_THROTTLING: 'maybe', GITHUB_MODELS_BASE_URL: 'ftp://x' });
    expect(cfg.overrides.port).toBeUndefined();
    expect(cfg.modelsBaseUrl).toBe('https://models.github.ai');
    expect(cfg.warnings).toHaveLength(3);
    expect(cfg.warnings[0]).toContain('PORT=abc');
  });

  it('strips trailing slashes from base URLs', () => {
    expect(readEnv({ GITHUB_API_BASE_URL: 'http://127.0.0.1:9/api/' }).apiBaseUrl).toBe('http://127.0.0.1:9/api');
  });
});
