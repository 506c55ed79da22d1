import { MIRROR_POINTER_KEY, type MirrorPointer, mirrorKeys } from '../shared/mirror/mirror-layout.ts';

export const MIRROR_POINTER_TTL_MS = 5_000;

let pointer: { value: MirrorPointer | null; at: number } | undefined;

/**
 * A pre-rendered mirror page from KV, walking the pointer's versions newest
 * first (a location may see a new pointer before its pages). `null` when no
 * mirror is published or none of its versions has this page.
 */
export async function mirrorPage(kv: KVNamespace, pagePath: string, now = Date.now()): Promise<{ html: string; version: string } | null> {
  if (!pointer || now - pointer.at > MIRROR_POINTER_TTL_MS) {
    pointer = { value: await kv.get<MirrorPointer>(MIRROR_POINTER_KEY, 'json'), at: now };
  }
  for (const { version } of pointer.value?.versions ?? []) {
    const html = await kv.get(mirrorKeys.page(version, pagePath), 'text');
    if (html !== null) return { html, version };
  }
  return null;
}

export function resetMirrorPages(): void {
  pointer = undefined;
}
