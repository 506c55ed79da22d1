/**
 * `npm run mirror -- build`: a catalog file → a self-contained, read-only
 * showroom folder (plus the edge renderings of its pages in `_edge/pages.ndjson`) and
 * its `manifest.json`. Deterministic: the same catalog and options give the
 * same bytes. Incremental: files whose content did not change are not
 * rewritten, and files the new build no longer has are removed.
 *
 * @example
 * const summary = await buildMirror({ catalog: 'products.json', out: 'dist/mirror' });
 */
import { once } from 'node:events';
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { openCatalogSource } from './catalog-source.ts';
import {
  EDGE_PAGES_FILE,
  MANIFEST_FILE,
  MANIFEST_TAIL,
  type ManifestEntry,
  type ManifestHead,
  manifestEntries,
  manifestHeadLine,
  readManifestIfAny,
  SiteHasher,
  sha256,
} from './mirror-manifest.ts';
import { catalogOf, countOutputs, type MirrorOutputOptions, mirrorOutputs } from './mirror-outputs.tsx';
import { filePathFor } from './site-paths.ts';

export interface BuildMirrorOptions extends MirrorOutputOptions {
  catalog: string;
  models?: string;
  out: string;
  skipInvalid: boolean;
  /** When the catalog data is from; default: the newest product `updatedAt`, else SOURCE_DATE_EPOCH, else now. */
  generatedAt?: string;
  onProgress?: (done: number, total: number) => void;
}

export const BUILD_MIRROR_DEFAULTS: Omit<BuildMirrorOptions, 'catalog' | 'out'> = {
  baseUrl: 'http://127.0.0.1:8787',
  quoteEndpoint: 'http://127.0.0.1:8787/api/leads',
  contactEmail: 'sales@example.com',
  siteName: 'Vitrine showroom',
  pdf: true,
  skipInvalid: false,
};

export const MAX_PENDING_WRITES = 64;

export interface BuildSummary {
  out: string;
  products: number;
  pages: number;
  files: number;
  bytes: number;
  written: number;
  unchanged: number;
  removed: number;
  skipped: string[];
  issues: string[];
  siteHash: string;
  ms: number;
}

export async function buildMirror(input: Partial<BuildMirrorOptions> & Pick<BuildMirrorOptions, 'catalog' | 'out'>): Promise<BuildSummary> {
  const baseUrl = (input.baseUrl ?? BUILD_MIRROR_DEFAULTS.baseUrl).replace(/\/+$/, '');
  const options = { ...BUILD_MIRROR_DEFAULTS, quoteEndpoint: `${baseUrl}/api/leads`, ...input, baseUrl };
  const started = performance.now();
  const source = await openCatalogSource(options);
  const { skipped, issues } = source;
  const catalog = catalogOf(source);
  const products = source.listed.length; // mirrorOutputs() releases the listings as it goes
  // The previous build's hashes; each output takes its own out, so what is left at the end is stale.
  const { files: before, edgeDigest: edgeBefore } = await previousBuild(options.out);
  const dirs = new DirectoryMaker();
  const entries = await openEntryLog(join(options.out, `${MANIFEST_FILE}.entries.tmp`), dirs);
  const total = countOutputs(catalog, options);
  let done = 0;
  let written = 0;
  let pages = 0;
  let files = 0;
  let bytes = 0;

  // Writes overlap with rendering, at most MAX_PENDING_WRITES at once (memory stays bounded).
  const pending = new Set<Promise<void>>();
  const emit = async (path: string, sitePath: string, role: ManifestEntry['role'], data: string | Uint8Array) => {
    const content = typeof data === 'string' ? Buffer.from(data) : data;
    const hash = sha256(content);
    await entries.add({ path, sitePath, role, sha256: hash, bytes: content.byteLength });
    bytes += content.byteLength;
    const unchanged = before.get(path) === hash;
    before.delete(path);
    if (unchanged) return;
    written++;
    const file = join(options.out, path);
    const write = dirs.make(dirname(file)).then(() => writeFile(file, content));
    pending.add(write);
    void write.finally(() => pending.delete(write));
    if (pending.size >= MAX_PENDING_WRITES) await Promise.race(pending);
  };

  // Edge renderings go to one NDJSON file (a line per page): thousands fewer files and directories.
  const edgeFile = join(options.out, EDGE_PAGES_FILE);
  await dirs.make(dirname(edgeFile));
  const edgeOut = createWriteStream(`${edgeFile}.tmp`);
  const edgeDigest = new SiteHasher(); // over the edge entries only
  const emitEdge = async (sitePath: string, html: string) => {
    const content = Buffer.from(html);
    const hash = sha256(content);
    const entry: ManifestEntry = { path: EDGE_PAGES_FILE, sitePath, role: 'edge-page', sha256: hash, bytes: content.byteLength };
    await entries.add(entry);
    edgeDigest.add(entry);
    if (!edgeOut.write(`${JSON.stringify({ sitePath, html })}\n`)) await once(edgeOut, 'drain');
  };

  for await (const output of mirrorOutputs(catalog, options)) {
    const path = filePathFor(output.sitePath);
    if (output.kind === 'page') {
      await emit(path, output.sitePath, 'page', output.file);
      await emitEdge(output.sitePath, output.edge);
      pages++;
    } else {
      await emit(path, output.sitePath, 'file', output.data);
      files++;
    }
    options.onProgress?.(++done, total);
  }

  await Promise.all(pending);
  edgeOut.end();
  await once(edgeOut, 'close');
  const stale = [...before.keys()];
  if (!existsSync(edgeFile) || edgeDigest.digest() !== edgeBefore) {
    await rename(`${edgeFile}.tmp`, edgeFile);
    written++;
  } else {
    await rm(`${edgeFile}.tmp`);
  }
  for (const path of stale) await rm(join(options.out, path), { force: true });
  const siteHash = await entries.finish(join(options.out, MANIFEST_FILE), {
    format: 1,
    generatedAt: source.generatedAt,
    source: source.source,
    products,
  });
  return {
    out: options.out,
    products,
    pages,
    files,
    bytes,
    written,
    unchanged: pages + files + 1 - written,
    removed: stale.length,
    skipped,
    issues,
    siteHash,
    ms: performance.now() - started,
  };
}

/**
 * From the folder's previous manifest: path → SHA-256 of each file, and one
 * digest over all edge renderings (they share one NDJSON file, which is
 * rewritten whole or not at all, so a digest is all a rebuild needs).
 */
async function previousBuild(out: string): Promise<{ files: Map<string, string>; edgeDigest: string | null }> {
  const files = new Map<string, string>();
  if (!(await readManifestIfAny(out))) return { files, edgeDigest: null };
  const edge = new SiteHasher();
  for await (const e of manifestEntries(out)) {
    if (e.role === 'edge-page') edge.add(e);
    else files.set(e.path, e.sha256);
  }
  return { files, edgeDigest: edge.digest() };
}

/**
 * Manifest entries go to disk as they are produced, in generation order
 * (deterministic, so no sort and nothing held); `finish` writes manifest.json
 * around them and returns the site hash.
 */
async function openEntryLog(tmpPath: string, dirs: DirectoryMaker) {
  await dirs.make(dirname(tmpPath));
  const out = createWriteStream(tmpPath);
  const hasher = new SiteHasher();
  let count = 0;
  return {
    async add(entry: ManifestEntry): Promise<void> {
      hasher.add(entry);
      if (!out.write(`${count++ === 0 ? '' : ',\n'}${JSON.stringify(entry)}`)) await once(out, 'drain');
    },
    async finish(manifestPath: string, head: Omit<ManifestHead, 'siteHash'>): Promise<string> {
      out.end();
      await once(out, 'close');
      const siteHash = hasher.digest();
      const manifest = createWriteStream(`${manifestPath}.tmp`);
      manifest.write(manifestHeadLine({ ...head, siteHash }));
      await pipeline(createReadStream(tmpPath), manifest, { end: false });
      manifest.end(MANIFEST_TAIL);
      await once(manifest, 'close');
      await rename(`${manifestPath}.tmp`, manifestPath);
      await rm(tmpPath);
      return siteHash;
    },
  };
}

/**
 * Creates each directory (and its parents) once per build, off the main
 * thread: a build makes one directory per product, and with the writes they
 * overlap rendering instead of stalling it. Non-recursive on purpose: the
 * parents are known to exist, and plain mkdir calls cost far less.
 */
class DirectoryMaker {
  static readonly #DONE = Promise.resolve();
  readonly #made = new Map<string, Promise<void>>();

  make(dir: string): Promise<void> {
    const known = this.#made.get(dir);
    if (known) return known;
    const parent = dirname(dir);
    const made = (parent === dir ? DirectoryMaker.#DONE : this.make(parent))
      .then(() => mkdir(dir))
      .catch((err: NodeJS.ErrnoException) => {
        if (err.code !== 'EEXIST') throw err;
      })
      .then(() => void this.#made.set(dir, DirectoryMaker.#DONE)); // keep no per-directory promise once made
    this.#made.set(dir, made);
    return made;
  }
}
