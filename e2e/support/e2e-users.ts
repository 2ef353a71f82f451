/** Tokens only the e2e simulator accepts. Two logins, and a second token of alice's to test duplicates. */
export const E2E_USERS = {
  alice: { token: 'ghp_e2eAlice0000000000000000000000000001', login: 'alice' },
  bob: { token: 'ghp_e2eBob000000000000000000000000000002', login: 'bob' },
  aliceAgain: { token: 'ghp_e2eAliceSecond000000000000000000003', login: 'alice' },
} as const;

/** Two per minute per (user, model): the third request in a minute is a 429 (UserByModelByMinute). */
export const E2E_LIMITS = { perMinute: 2, perDay: 50, concurrent: 2 } as const;
