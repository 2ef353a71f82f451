import { describe, expect, it } from 'vitest';
import { duplicateLogins, fingerprintOf, maskToken, newAccount, quotaSharers, sharesQuotaWith, subjectOf } from './account';

describe('accounts', () => {
  it('masks a token as first 4, ellipsis, last 2', () => {
    expect(maskToken('gho_abcdefghijklmnopXq')).toBe('gho_…Xq');
    expect(maskToken('short')).toBe('…');
  });

  it('fingerprints are stable, short and differ per token', () => {
    expect(fingerprintOf('gho_a')).toBe(fingerprintOf('gho_a'));
    expect(fingerprintOf('gho_a')).not.toBe(fingerprintOf('gho_b'));
    expect(fingerprintOf('gho_a')).toHaveLength(16);
    expect(fingerprintOf('gho_a')).not.toContain('gho_a');
  });

  it('keys the ledger by login once known, by account key before', () => {
    const a = newAccount({ key: 'GITHUB_TOKEN', token: 'gho_xxxxxxxxxxxx1', plan: 'free', disabled: false }, null);
    expect(subjectOf(a)).toBe('github:key:GITHUB_TOKEN');
    a.login = 'alice';
    expect(subjectOf(a)).toBe('github:alice');
  });

  it('finds tokens sharing one login', () => {
    const mk = (key: string, login: string | null) => {
      const a = newAccount({ key, token: `gho_${key}_token`, plan: 'free', disabled: false }, null);
      a.login = login;
      return a;
    };
    const all = [mk('A', 'alice'), mk('B', 'bob'), mk('C', 'alice'), mk('D', null)];
    expect(sharesQuotaWith(all[0]!, all)).toEqual(['C']);
    expect(sharesQuotaWith(all[3]!, all)).toEqual([]);
    expect([...duplicateLogins(all)]).toEqual([['alice', ['A', 'C']]]);
    // All at once (in the accounts' order), providers kept apart.
    const groq = mk('E', 'alice');
    groq.provider = 'groq';
    const everyone = [...all, mk('F', 'alice'), groq];
    const sharers = quotaSharers(everyone);
    expect(everyone.map((a) => sharers.get(a))).toEqual([['C', 'F'], [], ['A', 'F'], [], ['A', 'C'], []]);
  });
});
