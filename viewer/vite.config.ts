import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The viewer is served by `stepwise view` from viewer/dist; nothing is loaded from elsewhere at run time.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Inline assets would need `data:` scripts; keep every asset a file so the CSP stays 'self'.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 300,
  },
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  logLevel: 'warn',
});
