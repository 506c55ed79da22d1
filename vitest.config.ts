import { defineConfig } from 'vitest/config';

/**
 * Three projects, separated by runtime:
 * - `node`: pure modules, importers, the example origin (plain Node).
 * - `workerd`: the showroom worker inside workerd (@cloudflare/vitest-plugin), see tests/workerd/vitest.config.ts.
 * - `system`: real processes on loopback (example origin + wrangler dev).
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'node',
          include: ['tests/node/**/*.test.ts'],
          environment: 'node',
        },
      },
      'tests/workerd/vitest.config.ts',
      {
        test: {
          name: 'system',
          include: ['tests/system/**/*.test.ts'],
          environment: 'node',
          // Each file starts its own origin + wrangler dev; one at a time keeps them off each other's CPU and ports.
          fileParallelism: false,
          testTimeout: 180_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
