/**
 * Files of one model's output folder `<out>/<id>/`: content-hashed levels and
 * poster, written once per content; JSON indexes written atomically; files
 * an index no longer names removed.
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Files the pipeline writes into a model folder (anything else there is left alone). */
export const OUTPUT_FILE_RE = /^(\d{1,2}-[0-9a-f]{12}\.glb|poster-[0-9a-f]{12}\.webp|manifest\.json|tileset\.json)$/;

/**
 * First 12 hex characters of the SHA-256 of the bytes.
 *
 * @example
 * contentHash(new TextEncoder().encode('')); // 'e3b0c44298fc'
 */
export function contentHash(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex').slice(0, 12);
}

/**
 * Writes `<prefix>-<hash>.<ext>` into `dir` unless a file of that name and size is there; returns the name.
 *
 * @example
 * await writeHashedFile('dist/assets/chair', '0', 'glb', glb); // '0-1a2b3c4d5e6f.glb'
 */
export async function writeHashedFile(dir: string, prefix: string, ext: string, bytes: Uint8Array): Promise<string> {
  const name = `${prefix}-${contentHash(bytes)}.${ext}`;
  const path = join(dir, name);
  const existing = await stat(path).catch(() => undefined);
  if (existing?.size !== bytes.byteLength) {
    await mkdir(dir, { recursive: true });
    await writeAtomically(path, bytes);
  }
  return name;
}

/** Writes JSON (2-space indented, newline-terminated) through a temporary file and a rename. */
export async function writeJsonFile(path: string, value: unknown): Promise<void> {
  await writeAtomically(path, `${JSON.stringify(value, null, 2)}\n`);
}

/**
 * Removes pipeline files of `dir` not in `keep`; returns how many went.
 *
 * @example
 * await removeStaleOutputs('dist/assets/chair', new Set(['manifest.json', 'tileset.json', '0-1a2b3c4d5e6f.glb']));
 */
export async function removeStaleOutputs(dir: string, keep: ReadonlySet<string>): Promise<number> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const stale = names.filter((name) => OUTPUT_FILE_RE.test(name) && !keep.has(name));
  await Promise.all(stale.map((name) => rm(join(dir, name), { force: true })));
  return stale.length;
}

async function writeAtomically(path: string, data: string | Uint8Array): Promise<void> {
  const tmp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  await writeFile(tmp, data);
  await rename(tmp, path);
}
