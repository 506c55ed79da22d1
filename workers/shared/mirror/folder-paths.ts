/**
 * The static mirror folder names files (`c/beauty/page/2/index.html`); the edge
 * serves site paths (`/c/beauty?page=2`). This maps a folder-style path back,
 * so links copied from the exported folder still work on the edge.
 *
 * @example
 * sitePathOfFolderPath('/c/beauty/page/2/index.html'); // '/c/beauty?page=2'
 * sitePathOfFolderPath('/c/beauty');                   // null (already a site path)
 */
export function sitePathOfFolderPath(path: string): string | null {
  if (path === '/index.html') return '/';
  if (path === '/404.html') return '/404';
  const paged = /^(\/c\/[a-z0-9-]+)\/page\/(\d+)\/index\.html$/.exec(path);
  if (paged) return paged[2] === '1' ? paged[1]! : `${paged[1]}?page=${paged[2]}`;
  const plain = /^(\/.+)\/index\.html$/.exec(path);
  return plain ? plain[1]! : null;
}
