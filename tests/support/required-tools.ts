/**
 * The Debian tools the suite relies on (README: `apt-get install -y chromium nginx`; `.ci/run` installs both).
 * A test that needs one and finds it missing fails, naming the path and the package: it is never skipped.
 */
import { existsSync } from 'node:fs';

export function requireInstalled(path: string, pkg: 'chromium' | 'nginx'): void {
  if (!existsSync(path)) throw new Error(`no ${pkg} at ${path}: apt-get install -y ${pkg} (.ci/run does)`);
}
