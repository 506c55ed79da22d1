/**
 * Site paths (what the edge serves: `/`, `/c/beauty?page=2`, `/p/slug`,
 * `/p/slug/spec-sheet.pdf`) and the files of the static mirror folder that
 * hold them. The folder works from any static host and from file://, so
 * every link is relative and names a file, never a directory.
 *
 * @example
 * filePathFor('/c/beauty?page=2');                       // 'c/beauty/page/2/index.html'
 * relativeHref('p/lamp/index.html', '/c/lamps');          // '../../c/lamps/index.html'
 */
import { posix } from 'node:path';

const HAS_EXTENSION_RE = /\.[a-z0-9]{2,5}$/;
const PAGE_QUERY_RE = /^page=(\d+)$/;

/** The folder file for a site path; a query other than a listing page is not part of the file. */
export function filePathFor(sitePath: string): string {
  const [path = '/', query = ''] = sitePath.split('?', 2);
  const clean = path.replace(/^\/+|\/+$/g, '');
  if (clean === '') return 'index.html';
  if (clean === '404') return '404.html';
  if (HAS_EXTENSION_RE.test(clean)) return clean;
  const page = PAGE_QUERY_RE.exec(query)?.[1];
  return page && page !== '1' ? `${clean}/page/${page}/index.html` : `${clean}/index.html`;
}

/** The query string a link keeps when it points into the folder (`?sku=...` on the quote page). */
function keptQuery(sitePath: string): string {
  const query = sitePath.split('?', 2)[1] ?? '';
  return query && !PAGE_QUERY_RE.test(query) ? `?${query}` : '';
}

/** A relative href from one folder file to the file of a site path. */
export function relativeHref(fromFile: string, sitePath: string): string {
  const target = filePathFor(sitePath);
  const rel = posix.relative(posix.dirname(fromFile), target) || posix.basename(target);
  return `${rel}${keptQuery(sitePath)}`;
}

const TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  pdf: 'application/pdf',
  csv: 'text/csv; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  json: 'application/json',
  xml: 'application/xml; charset=utf-8',
  txt: 'text/plain; charset=utf-8',
};

export function contentTypeFor(filePath: string): string {
  return TYPES[filePath.split('.').pop() ?? ''] ?? 'application/octet-stream';
}
