import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: 'web',
  plugins: [svelte()],
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    target: 'es2022',
  },
  server: {
    // `npm run dev`: the Vite dev server proxies the API and WebSocket bridge to `smtp-lab serve`.
    proxy: {
      '/api': 'http://127.0.0.1:8025',
      '/ws': { target: 'ws://127.0.0.1:8025', ws: true },
    },
  },
  test: {
    root: '.',
    include: ['tests/**/*.test.ts'],
    // Conformance and CLI tests start real SMTP servers and child processes.
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
