/**
 * The asset worker as one ES module file, for Miniflare's auxiliary workers
 * (which do not bundle TypeScript): what `wrangler deploy` would upload.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { PROJECT_ROOT } from '../../static-fallback/local-state.ts';

export function bundleAssetsWorker(): string {
  const outfile = join(PROJECT_ROOT, '.vitrine/test-bundles/assets-worker.mjs');
  mkdirSync(join(PROJECT_ROOT, '.vitrine/test-bundles'), { recursive: true });
  buildSync({
    entryPoints: [join(PROJECT_ROOT, 'workers/assets/index.ts')],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2023',
    conditions: ['workerd', 'worker', 'browser'],
    external: ['cloudflare:*', 'node:*'],
    logLevel: 'warning',
  });
  return outfile;
}
