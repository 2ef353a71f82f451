import { describe, expect, it } from 'vitest';
import { accountMap, isSafeAccountId } from './account-id';

describe('account ids', () => {
  it('accepts ordinary names and refuses prototype names, odd characters and overlong names', () => {
    for (const id of ['GITHUB_TOKEN', 'GITHUB_TOKEN2', 'work-laptop', 'a.b_c', '_old']) expect(isSafeAccountId(id), id).toBe(true);
    for (const id of ['__proto__', 'constructor', 'toString', 'hasOwnProperty', '', 'a b', 'ä', 'x/y', 'k'.repeat(65)]) expect(isSafeAccountId(id), id).toBe(false);
  });

  it('accountMap has no prototype and drops unsafe ids, even own "__proto__" keys from JSON.parse', () => {
    const parsed = JSON.parse('{"__proto__":"ghp_x","GITHUB_TOKEN":"t","constructor":"c"}') as Record<string, string>;
    const map = accountMap(Object.entries(parsed));
    expect(Object.getPrototypeOf(map)).toBeNull();
    expect(Object.keys(map)).toEqual(['GITHUB_TOKEN']);
  });
});
