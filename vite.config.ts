import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // Conformance and CLI tests start real SMTP servers and child processes.
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
