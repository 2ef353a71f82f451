/** Provider keys only the routes spec's simulator accepts (e2e/support/routes-simulator-main.ts). */
export const ROUTES_KEYS = {
  GROQ_API_KEY: 'gsk_e2eRoutes000000000000000000000000000000000000Gq',
  CEREBRAS_API_KEY: 'csk-e2eRoutes0000000000000000000000000000000000Cb',
} as const;
