import { svelte } from '@sveltejs/vite-plugin-svelte';
import { svelteTesting } from '@testing-library/svelte/vite';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { compiledLessons } from './web/vite-plugin-lessons.ts';

// Conformance, CLI and browser tests start real servers, child processes and Chromium.
const slowTestTimeouts = { testTimeout: 30_000, hookTimeout: 30_000 };

export default defineConfig({
  root: 'web',
  plugins: [svelte(), compiledLessons(fileURLToPath(new URL('./lessons', import.meta.url)))],
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    target: 'es2022',
    rolldownOptions: {
      // protocol/ is pure by design (no DOM, no I/O, nothing done at import), so a module of
      // it whose exports go unused can go: the lesson engine's schemas and YAML parser stay out
      // of the browser, which gets the lessons already parsed (web/vite-plugin-lessons.ts).
      treeshake: { moduleSideEffects: [{ test: /[\\/]protocol[\\/]/, sideEffects: false }] },
    },
  },
  server: {
    // `npm run dev`: the Vite dev server proxies the API and WebSocket bridge to `smtp-lab serve`.
    // changeOrigin: the server answers only for its own names, so the proxy sends its Host
    // (the Origin stays the dev server's: start it with --allowed-origin http://localhost:5173).
    proxy: {
      '/api': { target: 'http://127.0.0.1:8025', changeOrigin: true },
      '/ws': { target: 'ws://127.0.0.1:8025', ws: true, changeOrigin: true },
    },
  },
  test: {
    root: '.',
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          root: '.',
          include: ['tests/**/*.test.ts'],
          exclude: ['tests/web/**'],
          // A throwaway PostgreSQL for the storage suite's second engine (skipped where none is installed).
          globalSetup: ['tests/support/postgres-cluster.ts'],
          ...slowTestTimeouts,
        },
      },
      {
        // Svelte component tests: jsdom and the browser build of Svelte, kept apart so that
        // Node-only packages (ws, smtp-server) in the other tests resolve their Node builds.
        extends: true,
        plugins: [svelteTesting()],
        test: { name: 'web', root: '.', include: ['tests/web/**/*.test.ts'], environment: 'jsdom', ...slowTestTimeouts },
      },
    ],
  },
});
