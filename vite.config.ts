import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The renderer is one build: the Electron window loads it from disk and `switchyard serve`
// serves the same files as the headless dashboard.
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    sourcemap: true,
  },
});
