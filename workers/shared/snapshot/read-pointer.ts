import { POINTER_KEY, type SnapshotPointer } from './snapshot-layout.ts';
import type { KvPort } from './storage-ports.ts';

/** The snapshot pointer, or `null` before the first publish (or when it is unreadable). */
export async function readPointer(kv: KvPort): Promise<SnapshotPointer | null> {
  const value = (await kv.get(POINTER_KEY, 'json')) as SnapshotPointer | null;
  return value && Array.isArray(value.versions) && value.versions.length > 0 ? value : null;
}
