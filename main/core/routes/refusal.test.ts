import { describe, expect, it } from 'vitest';
import { earliestReset, routeRefusal, type TargetRefusal } from './refusal';

const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);
const groq = { provider: 'groq' as const, model: 'llama-3.3-70b-versatile' };
const cerebras = { provider: 'cerebras' as const, model: 'llama-3.3-70b' };
const openrouter = { provider: 'openrouter' as const, model: 'meta-llama/llama-3.3-70b-instruct:free' };

describe('routeRefusal', () => {
  it('is an honest 429 naming each target and why, Retry-After the earliest reset among them', () => {
    const refusals: TargetRefusal[] = [
      { target: groq, reason: 'rate-limited', detail: 'every account is at its requests-per-day limit', resetAt: NOW + 3_600_000 },
      { target: cerebras, reason: 'rate-limited', detail: 'every account is at its requests-per-minute limit', resetAt: NOW + 42_000 },
      { target: openrouter, reason: 'missing-capability', missing: ['tools'] },
    ];
    const error = routeRefusal('llama-3.3-70b', refusals, NOW);
    expect(error).toMatchObject({ status: 429, type: 'rate_limit_error', code: 'rate_limit_exceeded', retryAfterSeconds: 42 });
    expect(error.message).toBe(
      'Every target of llama-3.3-70b is rate-limited or unavailable: ' +
        'groq/llama-3.3-70b-versatile: every account is at its requests-per-day limit, resets at 2026-01-01T13:00:00.000Z (in 1 h); ' +
        'cerebras/llama-3.3-70b: every account is at its requests-per-minute limit, resets at 2026-01-01T12:00:42.000Z (in 42 s); ' +
        'openrouter/meta-llama/llama-3.3-70b-instruct:free does not take tools.',
    );
  });

  it('counts a target waiting for a person (credits) out of the reset, yet names it', () => {
    const error = routeRefusal('r', [
      { target: groq, reason: 'unavailable', detail: 'credits used up', resetAt: null },
      { target: cerebras, reason: 'rate-limited', detail: 'limited', resetAt: NOW + 5_000 },
    ], NOW);
    expect(error.retryAfterSeconds).toBe(5);
    expect(error.message).toContain('groq/llama-3.3-70b-versatile: credits used up, waits for a person');
  });

  it('still gives a Retry-After on a 429 when no target states its reset', () => {
    const error = routeRefusal('r', [{ target: groq, reason: 'rate-limited', detail: 'limited', resetAt: null }], NOW);
    expect(error.status).toBe(429);
    expect(error.retryAfterSeconds).toBe(60);
  });

  it('is a 400 when every target lacks what the request needs', () => {
    const error = routeRefusal('r', [
      { target: groq, reason: 'missing-capability', missing: ['vision'] },
      { target: cerebras, reason: 'missing-capability', missing: ['tools', 'jsonSchema'] },
    ], NOW);
    expect(error).toMatchObject({ status: 400, code: 'model_capability_missing', param: 'model' });
    expect(error.message).toBe('No target of r takes this request: groq/llama-3.3-70b-versatile does not take images; cerebras/llama-3.3-70b does not take tools or a JSON schema response format.');
  });

  it('is a 503 when targets are unavailable for other reasons', () => {
    const error = routeRefusal('r', [{ target: groq, reason: 'unavailable', detail: 'every key was refused (401)', resetAt: NOW + 10_000 }], NOW);
    expect(error).toMatchObject({ status: 503, code: 'route_unavailable', retryAfterSeconds: 10 });
  });

  it('finds the earliest reset, ignoring targets that never reset by themselves', () => {
    expect(earliestReset([{ target: groq, reason: 'unavailable', detail: '', resetAt: null }, { target: cerebras, reason: 'missing-capability', missing: ['tools'] }])).toBeNull();
  });
});
