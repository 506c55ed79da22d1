/**
 * Where pre-rendered mirror pages live in KV (written by static-fallback's
 * publish, read by the showroom). Same pointer discipline as snapshots:
 *
 *   mirror:pointer                       { versions: [{ version, publishedAt }] }   newest first
 *   mirror:v:<version>:page:<pagePath>   the page's HTML
 *
 * `pagePath` is the site path plus the page number for paginated listings:
 * `/`, `/c/beauty`, `/c/beauty?page=2`, `/p/red-lipstick`.
 */
export const MIRROR_POINTER_KEY = 'mirror:pointer';

export interface MirrorPointer {
  versions: { version: string; publishedAt: string }[];
}

export const mirrorKeys = {
  prefix: (version: string) => `mirror:v:${version}:`,
  page: (version: string, pagePath: string) => `mirror:v:${version}:page:${pagePath}`,
};
