/**
 * Bundles the product viewer for shoppers' browsers: `viewer.js` (the small
 * entry every model page loads) and content-hashed chunks (three.js, the
 * meshopt decoder, the stage) it imports only when a model can be shown.
 * Everything is self-hosted: the bundle comes from the asset worker (`/viewer/…`).
 *
 * @example
 * await buildViewer('dist/assets/_viewer'); // [{ name: 'viewer.js', bytes: 2345 }, { name: 'chunk-AB12CD34.js', … }]
 */
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/** The folder of a build's output that holds the viewer (a name no model id can take). */
export const VIEWER_DIR = '_viewer';
export const VIEWER_ENTRY = 'viewer.js';
const SOURCE = fileURLToPath(new URL('./viewer.js', import.meta.url));

export async function buildViewer(outDir: string): Promise<{ name: string; bytes: number }[]> {
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  await build({
    entryPoints: { viewer: SOURCE },
    outdir: outDir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    legalComments: 'none',
    entryNames: '[name]',
    chunkNames: 'chunk-[hash]',
    logLevel: 'warning',
  });
  const names = (await readdir(outDir)).sort();
  return Promise.all(names.map(async (name) => ({ name, bytes: (await stat(join(outDir, name))).size })));
}
