import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * What the poster page is made of, served to chromium without any network: `page.route` answers every request
 * to POSTER_ORIGIN from this table (the HTML, the two browser modules beside this file, and three.js from
 * node_modules through an import map); anything else is aborted.
 */
export const POSTER_ORIGIN = 'http://vitrine-poster.invalid';

const POSTER_DIR = dirname(fileURLToPath(import.meta.url));
const THREE_DIR = dirname(dirname(createRequire(import.meta.url).resolve('three')));
const MODULES: Record<string, string> = {
  '/poster/poster-page.js': join(POSTER_DIR, 'poster-page.js'),
  '/poster/poster-scene.js': join(POSTER_DIR, 'poster-scene.js'),
};
const MIME: Record<string, string> = { '.js': 'text/javascript', '.html': 'text/html', '.glb': 'model/gltf-binary' };

/** The page: an import map for `three` and `three/addons/`, and the entry module. */
export const POSTER_HTML = `<!doctype html>
<html><head><meta charset="utf-8"><title>poster</title>
<script type="importmap">${JSON.stringify({ imports: { three: '/three/build/three.module.js', 'three/addons/': '/three/examples/jsm/' } })}</script>
<script>addEventListener('error', (e) => { window.__posterError ??= 'page script error: ' + e.message; });</script>
<script type="module" src="/poster/poster-page.js" onerror="window.__posterError ??= 'could not load the poster page modules'"></script>
</head><body></body></html>`;

/** A response for the page: status, content type and body. */
export interface PageResponse {
  status: number;
  contentType: string;
  body: string | Uint8Array;
}

/** Answers a request path of the poster page: the HTML, its modules, three.js files, or `extra` (the GLBs). */
export async function posterPageResponse(path: string, extra: ReadonlyMap<string, Uint8Array> = new Map()): Promise<PageResponse> {
  if (path === '/' || path === '/index.html') return { status: 200, contentType: MIME['.html']!, body: POSTER_HTML };
  const bytes = extra.get(path);
  if (bytes) return { status: 200, contentType: mimeOf(path), body: bytes };
  const file = MODULES[path] ?? threeFile(path);
  if (!file) return { status: 404, contentType: 'text/plain', body: `not part of the poster page: ${path}` };
  try {
    return { status: 200, contentType: mimeOf(file), body: await readFile(file) };
  } catch {
    return { status: 404, contentType: 'text/plain', body: `missing file: ${file}` };
  }
}

/** `/three/<build|examples>/...` inside the three package, never outside it. */
function threeFile(path: string): string | undefined {
  if (!path.startsWith('/three/build/') && !path.startsWith('/three/examples/jsm/')) return undefined;
  const file = normalize(join(THREE_DIR, decodeURIComponent(path.slice('/three/'.length))));
  return file.startsWith(THREE_DIR + sep) && file.endsWith('.js') ? file : undefined;
}

function mimeOf(path: string): string {
  const dot = path.lastIndexOf('.');
  return MIME[path.slice(dot)] ?? 'application/octet-stream';
}
