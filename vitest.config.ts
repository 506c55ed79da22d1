import { defineConfig } from 'vitest/config';

/**
 * Three projects, separated by runtime:
 * - `node`: pure modules, importers, the example origin, the mirror and the
 *   assets pipeline (plain Node, plus headless chromium for posters).
 * - `workerd`: the showroom worker inside workerd (@cloudflare/vitest-plugin), see tests/workerd/vitest.config.ts.
 * - `workerd-assets`: the asset worker inside workerd, see tests/workerd-assets/vitest.config.ts.
 * - `system`: real processes on loopback (example origin + wrangler dev).
 *
 * `node` runs first (group 0), then `workerd` and `system` together (group 1):
 * model builds and chromium take both cores, and the other two measure real
 * deadlines (an origin answer later than 800 ms is a failure by design).
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
      'tests/workerd-assets/vitest.config.ts',
      {
        test: {
          name: 'system',
          include: ['tests/system/**/*.test.ts'],
          environment: 'node',
          // Each file starts its own origin + wrangler dev; one at a time keeps them off each other's CPU and ports.
          fileParallelism: false,
          sequence: { groupOrder: 1 },
          testTimeout: 180_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
