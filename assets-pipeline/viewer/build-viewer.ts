/**
 * Bundles the product viewer for shoppers' browsers: `viewer.js` (the small
 * entry every model page loads) and content-hashed chunks (three.js, the
 * meshopt decoder, the stage) it imports only when a model can be shown.
 * Everything is self-hosted: the bundle comes from the asset worker (`/viewer/…`).
 * `buildAssets` writes it to `<out>/_viewer/`; `publishAssets` uploads that folder.
 *
 * @example
 * await buildViewer('dist/assets/_viewer'); // [{ name: 'chunk-AB12CD34.js', bytes: 612345 }, { name: 'viewer.js', bytes: 2345 }]
 */
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folder of a build's output that holds the viewer (a name no model id can take: ids start with [a-z0-9]). */
export const VIEWER_DIR = '_viewer';
/** The entry pages load (`/viewer/viewer.js`); it keeps its name, chunks are content-hashed. */
export const VIEWER_ENTRY = 'viewer.js';
export const VIEWER_CHUNK_RE = /^chunk-[A-Z0-9]+\.js$/;

export interface BuildViewerOptions {
  /** Browsers the bundle must run in (esbuild target). */
  target: string;
  minify: boolean;
}

export const BUILD_VIEWER_DEFAULTS = { target: 'es2022', minify: true } satisfies Partial<BuildViewerOptions>;

const SOURCE = fileURLToPath(new URL(`./${VIEWER_ENTRY}`, import.meta.url));

/** Bundles the viewer into `outDir` (emptied first); returns its files (name and size), sorted by name. */
export async function buildViewer(outDir: string, options: Partial<BuildViewerOptions> = {}): Promise<{ name: string; bytes: number }[]> {
  const { target, minify } = { ...BUILD_VIEWER_DEFAULTS, ...options };
  let build: typeof import('esbuild').build;
  try {
    ({ build } = await import('esbuild'));
  } catch (error) {
    throw new Error(`build-viewer: esbuild cannot be loaded (${(error as Error).message}); install it: npm install esbuild`);
  }
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  await build({
    entryPoints: { viewer: SOURCE },
    outdir: outDir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    target,
    minify,
    legalComments: 'none',
    entryNames: '[name]',
    chunkNames: 'chunk-[hash]',
    logLevel: 'warning',
  });
  const names = (await readdir(outDir)).sort();
  return Promise.all(names.map(async (name) => ({ name, bytes: (await stat(join(outDir, name))).size })));
}
