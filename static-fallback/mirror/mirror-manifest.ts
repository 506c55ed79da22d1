/**
 * `manifest.json` of a mirror folder: every file with its content hash, so a
 * rebuild rewrites only what changed and a publish skips what is already there.
 *
 * Roles: `page` (HTML for the folder, relative links), `edge-page` (the same
 * page for the edge, absolute site paths; lines of `_edge/pages.ndjson`), `file` (everything
 * else the edge serves from R2: PDFs, CSVs, scripts, sitemap, robots).
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { z } from 'zod';

export const MANIFEST_FILE = 'manifest.json';
/** The edge renderings of every page, one JSON line each: `{ "sitePath", "html" }`. */
export const EDGE_PAGES_FILE = '_edge/pages.ndjson';

export const ManifestEntrySchema = z.object({
  path: z.string().min(1),
  sitePath: z.string().startsWith('/'),
  role: z.enum(['page', 'edge-page', 'file']),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  bytes: z.number().int().nonnegative(),
});
export type ManifestEntry = z.infer<typeof ManifestEntrySchema>;

export const MirrorManifestSchema = z.object({
  format: z.literal(1),
  generatedAt: z.string(),
  source: z.string(),
  products: z.number().int().nonnegative(),
  /** Hash over every entry: equal site, equal hash. */
  siteHash: z.string().regex(/^[0-9a-f]{64}$/),
  files: z.array(ManifestEntrySchema),
});
export type MirrorManifest = z.infer<typeof MirrorManifestSchema>;

export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * Hash over every entry, in manifest order: equal site, equal hash.
 * Incremental, so a build can hash entries as it streams them to disk.
 */
export class SiteHasher {
  readonly #hash = createHash('sha256');
  add(e: ManifestEntry): void {
    this.#hash.update(`${e.path}\t${e.sitePath}\t${e.role}\t${e.sha256}\n`);
  }
  digest(): string {
    return this.#hash.digest('hex');
  }
}

export function siteHashOf(entries: Iterable<ManifestEntry>): string {
  const hasher = new SiteHasher();
  for (const e of entries) hasher.add(e);
  return hasher.digest();
}

/** The manifest's head: everything but `files`. */
export type ManifestHead = Omit<MirrorManifest, 'files'>;

/**
 * The line layout build-mirror writes: the head with `"files":[` on the first
 * line, one entry per line (comma-separated), `]}` last. Still one JSON
 * document, but readers can stream it entry by entry instead of parsing
 * 200,000 entries at once.
 */
export function manifestHeadLine(head: ManifestHead): string {
  return `${JSON.stringify(head).slice(0, -1)},"files":[\n`;
}
export const MANIFEST_TAIL = '\n]}\n';

/** The manifest of a built folder, validated; a clear error names the folder otherwise. */
export async function readManifest(dir: string): Promise<MirrorManifest> {
  const head = await readManifestHead(dir);
  const files: ManifestEntry[] = [];
  for await (const entry of manifestEntries(dir)) files.push(entry);
  return { ...head, files };
}

/** The previous manifest's head, or null when there is none (a first build). */
export async function readManifestIfAny(dir: string): Promise<ManifestHead | null> {
  try {
    return await readManifestHead(dir);
  } catch {
    return null;
  }
}

/** The head of a folder's manifest (version, source, products, siteHash), read from its first line. */
export async function readManifestHead(dir: string): Promise<ManifestHead> {
  for await (const item of manifestLines(dir, true)) if ('head' in item) return item.head;
  throw new Error(`${join(dir, MANIFEST_FILE)}: empty mirror manifest; rebuild the folder`);
}

/** The entries of a folder's manifest, one at a time, each validated. */
export async function* manifestEntries(dir: string): AsyncGenerator<ManifestEntry> {
  for await (const item of manifestLines(dir, false)) if ('entry' in item) yield item.entry;
}

async function* manifestLines(dir: string, headOnly: boolean): AsyncGenerator<{ head: ManifestHead } | { entry: ManifestEntry }> {
  const path = join(dir, MANIFEST_FILE);
  const fail = (line: number, why: string) => new Error(`${path}:${line}: not a mirror manifest (${why}); rebuild the folder`);
  let input: ReturnType<typeof createReadStream>;
  try {
    await access(path);
    input = createReadStream(path, { encoding: 'utf8' });
  } catch {
    throw new Error(`${path}: no mirror manifest here; run \`npm run mirror -- build ... --out ${dir}\` first`);
  }
  const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  let n = 0;
  let closed = false;
  try {
    for await (const line of lines) {
      n++;
      if (closed) {
        if (line.trim()) throw fail(n, 'text after the end');
        continue;
      }
      if (n === 1) {
        const head = MirrorManifestSchema.safeParse(parseJson(`${line}]}`));
        if (!head.success || !line.endsWith('"files":['))
          throw fail(n, head.error?.issues[0]?.message ?? 'no "files" list on the first line');
        const { files: _none, ...rest } = head.data;
        yield { head: rest };
        if (headOnly) return;
        continue;
      }
      if (line === ']}') {
        closed = true;
        continue;
      }
      const entry = ManifestEntrySchema.safeParse(parseJson(line.endsWith(',') ? line.slice(0, -1) : line));
      if (!entry.success) throw fail(n, entry.error.issues[0]?.message ?? 'bad entry');
      yield { entry: entry.data };
    }
    if (!closed) throw fail(n, 'it ends before "]}"');
  } finally {
    lines.close();
    input.destroy();
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
