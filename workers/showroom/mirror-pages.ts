/**
 * Reads the published static mirror (see shared/mirror/mirror-layout.ts):
 * pages from KV, other files (PDFs, CSVs, scripts, sitemap) from R2, walking
 * the pointer's versions newest first (a location may see a new pointer
 * before its keys).
 */
import { MIRROR_POINTER_KEY, type MirrorFileRef, type MirrorPointer, mirrorKeys } from '../shared/mirror/mirror-layout.ts';

export const MIRROR_POINTER_TTL_MS = 5_000;

let pointer: { value: MirrorPointer | null; at: number } | undefined;

async function versions(kv: KVNamespace, now: number): Promise<string[]> {
  if (!pointer || now - pointer.at > MIRROR_POINTER_TTL_MS) {
    pointer = { value: await kv.get<MirrorPointer>(MIRROR_POINTER_KEY, 'json'), at: now };
  }
  return (pointer.value?.versions ?? []).map((v) => v.version);
}

/** A pre-rendered page, or `null` when no published version has it. */
export async function mirrorPage(kv: KVNamespace, pagePath: string, now = Date.now()): Promise<{ html: string; version: string } | null> {
  for (const version of await versions(kv, now)) {
    const html = await kv.get(mirrorKeys.page(version, pagePath), 'text');
    if (html !== null) return { html, version };
  }
  return null;
}

/** A published file's body and type from R2, or `null`. */
export async function mirrorFile(
  kv: KVNamespace,
  r2: R2Bucket,
  sitePath: string,
  now = Date.now(),
): Promise<{ body: ReadableStream; ref: MirrorFileRef; version: string } | null> {
  for (const version of await versions(kv, now)) {
    const ref = await kv.get<MirrorFileRef>(mirrorKeys.file(version, sitePath), 'json');
    if (!ref) continue;
    const object = await r2.get(mirrorKeys.blob(ref.sha256));
    if (object) return { body: object.body, ref, version };
  }
  return null;
}

export function resetMirrorPages(): void {
  pointer = undefined;
}
