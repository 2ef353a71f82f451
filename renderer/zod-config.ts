import { z } from 'zod';

// zod compiles fast parsers with `new Function` unless told not to; the window's CSP forbids eval
// (no 'unsafe-eval'), so it must be told before any schema is built. Imported first by main.tsx.
z.config({ jitless: true });
