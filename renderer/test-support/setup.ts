// Imported first by every renderer test: jest-dom matchers and DOM cleanup between tests
// (the vitest config has no globals, so Testing Library cannot register cleanup by itself).
import '@testing-library/jest-dom/vitest';
import { cleanup } from '@testing-library/react';
import { afterEach, vi } from 'vitest';

afterEach(() => {
  cleanup();
  vi.useRealTimers();
  window.location.hash = '';
});
