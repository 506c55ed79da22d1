/**
 * `npm run assets -- publish <dir> --to local|remote`: a build's output folder
 * → R2 under `models/<id>/<file name>`. Every folder is checked before the
 * first upload; then, per model, the content-hashed files go first and
 * tileset.json and manifest.json last, so a manifest a shopper can read never
 * names a missing file. An object already there with the same SHA-256
 * (`customMetadata.sha256`) is skipped, so an unchanged re-publish uploads
 * nothing. Old levels are left in place: a cached manifest may still name them.
 * The product viewer's bundle (`<dir>/_viewer/`, written by the build) goes
 * first, under `viewer/<file>`: its content-hashed chunks (immutable), then
 * `viewer.js` (short TTL), so no page is ever sent to a viewer whose chunks
 * are missing.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { VIEWER_CHUNK_RE, VIEWER_DIR, VIEWER_ENTRY } from '../viewer/build-viewer.ts';
import { type AssetObject, IMMUTABLE_CACHE_CONTROL } from './asset-objects.ts';
import type { AssetStore } from './asset-store.ts';
import { readModelOutputs } from './read-model-outputs.ts';

export { type AssetStore, openAssetStore } from './asset-store.ts';

export interface PublishAssetsOptions {
  /** The folder `npm run assets -- build --out` wrote. */
  dir: string;
  store: AssetStore;
  /** Uploads of one model's content-hashed files in flight at once. */
  concurrency: number;
  onProgress?: (done: number, total: number) => void;
}

export const PUBLISH_ASSETS_DEFAULTS = { concurrency: 8 } satisfies Partial<PublishAssetsOptions>;

export interface PublishAssetsResult {
  models: number;
  /** Files of the viewer bundle (uploaded or unchanged). */
  viewerFiles: number;
  /** Objects written. */
  uploaded: number;
  /** Objects already present with the same SHA-256. */
  skipped: number;
  /** Bytes written. */
  bytes: number;
}

/**
 * Publishes every model of a build's output folder.
 * @throws Error naming the file and the problem (bad manifest, missing or altered file, bad id) before anything is uploaded.
 *
 * @example
 * const store = await openAssetStore({ to: 'local' });
 * try {
 *   await publishAssets({ dir: 'dist/assets', store }); // { models: 3, uploaded: 18, skipped: 0, bytes: 1234567 }
 * } finally {
 *   await store.dispose();
 * }
 */
export async function publishAssets(
  options: Pick<PublishAssetsOptions, 'dir' | 'store'> & Partial<PublishAssetsOptions>,
): Promise<PublishAssetsResult> {
  const { dir, store, concurrency, onProgress } = { ...PUBLISH_ASSETS_DEFAULTS, ...options };
  const plans = await readModelOutputs(dir);
  const viewer = await viewerObjects(join(dir, VIEWER_DIR));
  const total = viewer.length + plans.reduce((n, p) => n + p.files.length + p.indexes.length, 0);
  const result: PublishAssetsResult = { models: plans.length, viewerFiles: viewer.length, uploaded: 0, skipped: 0, bytes: 0 };
  let done = 0;
  const upload = async (object: AssetObject) => {
    const sent = await uploadIfChanged(store, object);
    if (sent === 0) result.skipped++;
    else {
      result.uploaded++;
      result.bytes += sent;
    }
    onProgress?.(++done, total);
  };
  // Chunks before the entry that imports them, the viewer before any manifest a page could follow to it.
  for (const object of viewer) await upload(object);
  for (const plan of plans) {
    await inPool(plan.files, Math.max(1, concurrency), upload);
    // Only now, with every file they name in place: tileset.json, then manifest.json.
    for (const index of plan.indexes) await upload(index);
  }
  return result;
}

/** Describes the viewer bundle of a build (chunks first, the entry last), or says how to get one. */
async function viewerObjects(dir: string): Promise<AssetObject[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  if (!names.includes(VIEWER_ENTRY))
    throw new Error(
      `publish-assets: no ${join(dir, VIEWER_ENTRY)} (the product viewer); run \`npm run assets -- build\` again, it bundles the viewer`,
    );
  const stray = names.find((name) => name !== VIEWER_ENTRY && !VIEWER_CHUNK_RE.test(name));
  if (stray) throw new Error(`${join(dir, stray)}: not part of the viewer bundle (viewer.js, chunk-<hash>.js); rebuild`);
  const objects = await Promise.all(
    names.map(async (name): Promise<AssetObject> => {
      const path = join(dir, name);
      const data = await readFile(path);
      return {
        key: `viewer/${name}`,
        path,
        bytes: data.byteLength,
        sha256: createHash('sha256').update(data).digest('hex'),
        contentType: 'text/javascript; charset=utf-8',
        cacheControl: name === VIEWER_ENTRY ? VIEWER_ENTRY_CACHE_CONTROL : IMMUTABLE_CACHE_CONTROL,
      };
    }),
  );
  return objects.sort((a, b) => Number(a.key.endsWith(VIEWER_ENTRY)) - Number(b.key.endsWith(VIEWER_ENTRY)) || a.key.localeCompare(b.key));
}

/** The viewer's entry keeps its name across releases: pages pick up a new viewer within minutes. */
export const VIEWER_ENTRY_CACHE_CONTROL = 'public, max-age=300, stale-while-revalidate=86400';

/** Uploads one object unless the bucket holds the same bytes; returns the bytes sent (0 when skipped). */
async function uploadIfChanged(store: AssetStore, object: AssetObject): Promise<number> {
  const head = await store.head(object.key);
  if (head?.customMetadata?.sha256 === object.sha256 && (head.size === undefined || head.size === object.bytes)) return 0;
  const data = await readFile(object.path);
  if (createHash('sha256').update(data).digest('hex') !== object.sha256)
    throw new Error(`${object.path}: changed while publishing; rebuild, then publish again`);
  await store.put(object.key, data, {
    httpMetadata: { contentType: object.contentType, cacheControl: object.cacheControl },
    customMetadata: { sha256: object.sha256 },
  });
  return data.byteLength;
}

async function inPool<T>(items: readonly T[], size: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(size, items.length) }, worker));
}
