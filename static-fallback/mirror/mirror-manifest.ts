/**
 * `manifest.json` of a mirror folder: every file with its content hash, so a
 * rebuild rewrites only what changed and a publish skips what is already there.
 *
 * Roles: `page` (HTML for the folder, relative links), `edge-page` (the same
 * page for the edge, absolute site paths; lines of `_edge/pages.ndjson`), `file` (everything
 * else the edge serves from R2: PDFs, CSVs, scripts, sitemap, robots).
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
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

export function siteHashOf(entries: readonly ManifestEntry[]): string {
  const hash = createHash('sha256');
  for (const e of entries) hash.update(`${e.path}\t${e.sitePath}\t${e.role}\t${e.sha256}\n`);
  return hash.digest('hex');
}

/** The manifest of a built folder, validated; a clear error names the folder otherwise. */
export async function readManifest(dir: string): Promise<MirrorManifest> {
  const path = join(dir, MANIFEST_FILE);
  let raw: string;
  try {
    raw = await readFile(path, 'utf8');
  } catch {
    throw new Error(`${path}: no mirror manifest here; run \`npm run mirror -- build ... --out ${dir}\` first`);
  }
  const parsed = MirrorManifestSchema.safeParse(JSON.parse(raw));
  if (!parsed.success) throw new Error(`${path}: not a mirror manifest: ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}

/** The previous manifest of a folder, or null when there is none (a first build). */
export async function readManifestIfAny(dir: string): Promise<MirrorManifest | null> {
  try {
    return await readManifest(dir);
  } catch {
    return null;
  }
}
