/**
 * Where the published static mirror lives (written by static-fallback's
 * publish, read by the showroom). Same pointer discipline as snapshots:
 *
 *   KV mirror:pointer                      { versions: [{ version, publishedAt, siteHash, indexBuckets }] }   newest first
 *   KV mirror:v:<version>:index:<bucket>   { [path]: PageSlot | MirrorFileRef }    bucket = fnv1a(path) % indexBuckets
 *   KV mirror:v:<version>:chunk:<n>        the HTML of up to PAGES_PER_CHUNK pages, concatenated
 *   R2 mirror/blobs/<sha256>               file bytes, content-addressed (an unchanged file is never uploaded twice)
 *
 * Pages are packed into chunks, and files are listed in the index rather than
 * one key each, so a 100,000-page mirror is about 7,000 KV writes, not 200,000.
 * A page read is two KV reads (its index bucket, its chunk), both immutable and
 * cached in the isolate.
 *
 * `path` is the site path, plus the page number for paginated listings:
 * `/`, `/c/beauty`, `/c/beauty?page=2`, `/p/red-lipstick`, `/search`, `/p/x/spec-sheet.pdf`.
 */
export const MIRROR_POINTER_KEY = 'mirror:pointer';
export const PAGES_PER_CHUNK = 16;
export const INDEX_ENTRIES_PER_BUCKET = 512;

export interface MirrorVersionRef {
  version: string;
  publishedAt: string;
  indexBuckets: number;
  siteHash?: string;
  products?: number;
}

export interface MirrorPointer {
  versions: MirrorVersionRef[];
  /** Versions rolled back from: no longer served, their keys removed by the next publish. */
  retired?: string[];
}

/** A page inside a chunk: [chunk number, offset, length] in UTF-16 code units. */
export type PageSlot = [chunk: number, offset: number, length: number];

export interface MirrorFileRef {
  sha256: string;
  type: string;
  bytes: number;
}

export const mirrorKeys = {
  prefix: (version: string) => `mirror:v:${version}:`,
  index: (version: string, bucket: number) => `mirror:v:${version}:index:${bucket}`,
  chunk: (version: string, chunk: number) => `mirror:v:${version}:chunk:${chunk}`,
  blob: (sha256: string) => `mirror/blobs/${sha256}`,
};
