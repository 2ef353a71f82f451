import { describe, expect, it } from 'vitest';
import { clientSnippet, type SnippetKind } from './client-snippets';

const KINDS: SnippetKind[] = ['python', 'node', 'curl', 'codex', 'claude'];
const proxy = (apiKeyRequired: boolean) => ({ baseUrl: 'http://127.0.0.1:4000/v1', apiKeyRequired });

describe('client snippets', () => {
  it('import os only where the key is read from the environment', () => {
    expect(clientSnippet('python', proxy(false))).not.toContain('import os');
    expect(clientSnippet('python', proxy(true)).split('\n')[0]).toBe('import os');
  });

  it('keep every line short enough for the panel (no line clipped)', () => {
    for (const kind of KINDS) {
      for (const required of [false, true]) {
        for (const line of clientSnippet(kind, proxy(required)).split('\n')) expect(line.length, `${kind}: ${line}`).toBeLessThanOrEqual(60);
      }
    }
  });

  it('offer Codex CLI (Responses wire API) and Claude Code (base URL without /v1), never the key itself', () => {
    const codex = clientSnippet('codex', proxy(false));
    expect(codex).toContain('base_url = "http://127.0.0.1:4000/v1"');
    expect(codex).toContain('wire_api = "responses"');
    const claude = clientSnippet('claude', proxy(true));
    expect(claude).toContain('export ANTHROPIC_BASE_URL=http://127.0.0.1:4000\n');
    expect(claude).toContain('"$SWITCHYARD_API_KEY"');
  });
});
