import { readFileSync } from 'node:fs';
import { cloudflareTest } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';
import { bundleAssetsWorker } from '../support/assets-worker-bundle.ts';
import { ADMIN_TOKEN_FOR_TESTS, WEBHOOK_SECRET_FOR_TESTS } from './admin-token.ts';

/**
 * The showroom worker inside workerd. global-setup.ts (Node) starts a real
 * example origin on loopback and provides its ports and the fixture snapshot;
 * the worker's ORIGIN_URL points at it. Files run one at a time because they
 * share that origin's fault state.
 */
export default defineConfig({
  plugins: [
    cloudflareTest(({ inject }) => ({
      wrangler: { configPath: '../../wrangler.toml' },
      miniflare: {
        bindings: {
          ORIGIN_URL: `http://127.0.0.1:${inject('originPort')}`,
          CANONICAL_ORIGIN: 'https://showroom.example.test',
          ORIGIN_DEADLINE_MS: '400',
          PROBE_INTERVAL_MS: '1000',
          // The example origin's /cdn stand-in plays the merchant's primary asset CDN for the monitor's probes.
          ASSET_PRIMARY_URL: `http://127.0.0.1:${inject('originPort')}/cdn`,
          ADMIN_TOKEN: ADMIN_TOKEN_FOR_TESTS,
          WEBHOOK_SECRET: WEBHOOK_SECRET_FOR_TESTS,
          // A second example origin plays the merchant's CRM (see global-setup.ts).
          WEBHOOK_URLS: `http://127.0.0.1:${inject('crmPort')}/crm/webhooks`,
          STORE_NAME: 'Vitrine Test Showroom',
          // Small enough for outbox.test.ts to reach: dead-lettering after attempts, a full shard.
          OUTBOX_MAX_ATTEMPTS: '3',
          OUTBOX_MAX_WRITES_PER_SHARD: '40',
        },
        // The real asset worker behind the showroom's ASSETS service binding, on the same KV and R2.
        workers: [
          {
            name: 'vitrine-assets',
            modules: true,
            script: readFileSync(bundleAssetsWorker(), 'utf8'),
            compatibilityDate: '2026-10-15',
            r2Buckets: { ASSETS_R2: 'vitrine-assets-local' },
            kvNamespaces: { CATALOG_KV: 'vitrine-catalog-local' },
          },
        ],
      },
    })),
  ],
  test: {
    name: 'workerd',
    root: import.meta.dirname,
    include: ['**/*.test.ts'],
    globalSetup: ['./global-setup.ts'],
    setupFiles: ['./leave-clean.ts'],
    fileParallelism: false,
    testTimeout: 20_000,
    silent: 'passed-only',
    // After the node project (see ../../vitest.config.ts): deadlines here are real.
    sequence: { groupOrder: 1 },
  },
});
