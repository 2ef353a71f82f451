import { describe, expect, it } from 'vitest';
import { addAccountSchema, eventSearchSchema, reorderBodySchema, resetTargetSchema, accountOrderSchema } from './admin-schema';

describe('the admin API schema (IPC and HTTP)', () => {
  it('trims a pasted token and refuses an empty one in words', () => {
    expect(addAccountSchema.parse({ token: '  ghp_abc \n' })).toEqual({ token: 'ghp_abc' });
    const refused = addAccountSchema.safeParse({ token: '   ' });
    expect(refused.success).toBe(false);
    expect(refused.error?.issues[0]?.message).toBe('Paste a token.');
  });

  it('refuses extra keys and unsafe account ids', () => {
    expect(addAccountSchema.safeParse({ token: 'x', admin: true }).success).toBe(false);
    expect(addAccountSchema.safeParse({ token: 'x', key: '__proto__ x' }).success).toBe(false);
    expect(resetTargetSchema.safeParse({ account: 'a/b' }).success).toBe(false);
  });

  it('refuses an empty reorder on both transports', () => {
    expect(accountOrderSchema.safeParse([]).success).toBe(false);
    expect(reorderBodySchema.safeParse({ keys: [] }).success).toBe(false);
    expect(reorderBodySchema.parse({ keys: ['A', 'B'] })).toEqual({ keys: ['A', 'B'] });
  });

  it('reads the events query from a URL: numbers as text, known kinds only', () => {
    expect(eventSearchSchema.parse({ limit: '20', kind: 'rotated' })).toEqual({ limit: 20, kind: 'rotated' });
    expect(eventSearchSchema.safeParse({ limit: '0' }).success).toBe(false);
    expect(eventSearchSchema.safeParse({ kind: 'nonsense' }).success).toBe(false);
  });
});
