import { describe, expect, it } from 'vitest';
import { clientSnippet, type SnippetKind } from './client-snippets';

const KINDS: SnippetKind[] = ['python', 'node', 'curl'];
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
});
