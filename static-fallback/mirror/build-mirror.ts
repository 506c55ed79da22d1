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
import { createWriteStream, existsSync, mkdirSync } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { openCatalogSource } from './catalog-source.ts';
import {
  EDGE_PAGES_FILE,
  MANIFEST_FILE,
  type ManifestEntry,
  type MirrorManifest,
  readManifestIfAny,
  sha256,
  siteHashOf,
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
  const previous = await readManifestIfAny(options.out);
  const keyOf = (e: Pick<ManifestEntry, 'path' | 'sitePath' | 'role'>) => (e.role === 'edge-page' ? `edge:${e.sitePath}` : e.path);
  const before = new Map(previous?.files.map((f) => [keyOf(f), f.sha256]));
  const entries: ManifestEntry[] = [];
  const total = countOutputs(catalog, options);
  let done = 0;
  let written = 0;
  let pages = 0;

  // Writes overlap with rendering, at most MAX_PENDING_WRITES at once (memory stays bounded).
  const pending = new Set<Promise<void>>();
  const madeDirs = new Set<string>();
  const emit = async (path: string, sitePath: string, role: ManifestEntry['role'], data: string | Uint8Array) => {
    const bytes = typeof data === 'string' ? Buffer.from(data) : data;
    const hash = sha256(bytes);
    entries.push({ path, sitePath, role, sha256: hash, bytes: bytes.byteLength });
    if (before.get(path) === hash) return;
    written++;
    ensureDir(dirname(join(options.out, path)), madeDirs);
    const write = writeFile(join(options.out, path), bytes);
    pending.add(write);
    void write.finally(() => pending.delete(write));
    if (pending.size >= MAX_PENDING_WRITES) await Promise.race(pending);
  };

  // Edge renderings go to one NDJSON file (a line per page): thousands fewer files and directories.
  const edgeFile = join(options.out, EDGE_PAGES_FILE);
  ensureDir(dirname(edgeFile), madeDirs);
  const edgeOut = createWriteStream(`${edgeFile}.tmp`);
  let edgeChanged = !existsSync(edgeFile);
  const emitEdge = async (sitePath: string, html: string) => {
    const bytes = Buffer.from(html);
    const hash = sha256(bytes);
    entries.push({ path: EDGE_PAGES_FILE, sitePath, role: 'edge-page', sha256: hash, bytes: bytes.byteLength });
    if (before.get(`edge:${sitePath}`) !== hash) edgeChanged = true;
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
    }
    options.onProgress?.(++done, total);
  }

  await Promise.all(pending);
  edgeOut.end();
  await once(edgeOut, 'close');
  if (edgeChanged || (previous?.files.filter((f) => f.role === 'edge-page').length ?? 0) !== pages) {
    await rename(`${edgeFile}.tmp`, edgeFile);
    written++;
  } else {
    await rm(`${edgeFile}.tmp`);
  }
  const order = (a: ManifestEntry, b: ManifestEntry) =>
    a.path < b.path ? -1 : a.path > b.path ? 1 : a.sitePath < b.sitePath ? -1 : a.sitePath > b.sitePath ? 1 : 0;
  entries.sort(order);
  const now = new Set(entries.map((e) => e.path));
  const stale = (previous?.files ?? []).filter((f) => !now.has(f.path));
  for (const f of stale) await rm(join(options.out, f.path), { force: true });
  const manifest: MirrorManifest = {
    format: 1,
    generatedAt: source.generatedAt,
    source: source.source,
    products: source.listed.length,
    siteHash: siteHashOf(entries),
    files: entries,
  };
  await writeManifest(join(options.out, MANIFEST_FILE), manifest);
  return {
    out: options.out,
    products: source.listed.length,
    pages,
    files: entries.filter((e) => e.role === 'file').length,
    bytes: entries.filter((e) => e.role !== 'edge-page').reduce((n, e) => n + e.bytes, 0),
    written,
    unchanged: entries.filter((e) => e.role !== 'edge-page').length + 1 - written,
    removed: stale.length,
    skipped,
    issues,
    siteHash: manifest.siteHash,
    ms: performance.now() - started,
  };
}

/** The manifest, one file entry per line: same JSON, without building a 40 MB string at 100,000 products. */
async function writeManifest(path: string, manifest: MirrorManifest): Promise<void> {
  const out = createWriteStream(path);
  const { files, ...head } = manifest;
  out.write(`${JSON.stringify(head).slice(0, -1)},"files":[\n`);
  for (let i = 0; i < files.length; i++) {
    if (!out.write(`${JSON.stringify(files[i])}${i < files.length - 1 ? ',' : ''}\n`)) await once(out, 'drain');
  }
  out.end(']}\n');
  await once(out, 'close');
}

/**
 * Creates a directory and its parents once per build. Synchronous and
 * non-recursive on purpose: a build makes one directory per product, and
 * plain mkdir calls inline cost far less than recursive ones through the pool.
 */
function ensureDir(dir: string, made: Set<string>): void {
  if (made.has(dir)) return;
  const parent = dirname(dir);
  if (parent !== dir) ensureDir(parent, made);
  try {
    mkdirSync(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  made.add(dir);
}
