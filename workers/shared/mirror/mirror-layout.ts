/**
 * Where the published static mirror lives (written by static-fallback's
 * publish, read by the showroom). Same pointer discipline as snapshots:
 *
 *   KV mirror:pointer                       { versions: [{ version, publishedAt, siteHash, products }] }   newest first
 *   KV mirror:v:<version>:page:<pagePath>   a page's HTML (edge rendering)
 *   KV mirror:v:<version>:file:<sitePath>   { sha256, type, bytes } of a file kept in R2
 *   R2 mirror/blobs/<sha256>                file bytes, content-addressed (an unchanged file is never uploaded twice)
 *
 * `pagePath` is the site path plus the page number for paginated listings:
 * `/`, `/c/beauty`, `/c/beauty?page=2`, `/p/red-lipstick`, `/search`, `/quote`, `/404`.
 */
export const MIRROR_POINTER_KEY = 'mirror:pointer';

export interface MirrorVersionRef {
  version: string;
  publishedAt: string;
  siteHash?: string;
  products?: number;
}

export interface MirrorPointer {
  versions: MirrorVersionRef[];
  /** Versions rolled back from: no longer served, their keys removed by the next publish. */
  retired?: string[];
}

export interface MirrorFileRef {
  sha256: string;
  type: string;
  bytes: number;
}

export const mirrorKeys = {
  prefix: (version: string) => `mirror:v:${version}:`,
  page: (version: string, pagePath: string) => `mirror:v:${version}:page:${pagePath}`,
  file: (version: string, sitePath: string) => `mirror:v:${version}:file:${sitePath}`,
  blob: (sha256: string) => `mirror/blobs/${sha256}`,
};
