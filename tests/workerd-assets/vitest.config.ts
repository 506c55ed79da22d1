import { cloudflareTest } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';

/**
 * The asset worker inside workerd. global-setup.ts (Node) builds the fixture
 * models with the real pipeline and starts the example origin, whose /cdn
 * plays the primary asset CDN; the tests publish the built files into R2.
 */
export default defineConfig({
  plugins: [
    cloudflareTest(({ inject }) => ({
      wrangler: { configPath: '../../workers/assets/wrangler.toml' },
      miniflare: {
        bindings: {
          ASSET_PRIMARY_URL: inject('cdnUrl'),
          ASSET_PRIMARY_DEADLINE_MS: '300',
          ASSET_POLICY_TTL_MS: '0',
        },
      },
    })),
  ],
  test: {
    name: 'workerd-assets',
    root: import.meta.dirname,
    include: ['**/*.test.ts'],
    globalSetup: ['./global-setup.ts'],
    fileParallelism: false,
    testTimeout: 20_000,
    hookTimeout: 180_000,
    silent: 'passed-only',
    sequence: { groupOrder: 1 },
  },
});
