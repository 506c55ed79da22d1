import {
  MIRROR_POINTER_KEY,
  type MirrorFileRef,
  type MirrorPointer,
  mirrorKeys,
  type PageSlot,
} from '../../workers/shared/mirror/mirror-layout.ts';
import { bucketOf } from '../../workers/shared/snapshot/snapshot-layout.ts';

/**
 * In-memory KV and R2 for unit tests of publish logic (the real bindings are
 * exercised in the workerd and system tests). `failAfter` makes the n-th write
 * throw, to prove a publish that dies half-way changes nothing shoppers see.
 */
export class MemoryStore {
  readonly kvData = new Map<string, string>();
  readonly r2Data = new Map<string, Uint8Array>();
  writes = 0;
  failAfter = Number.POSITIVE_INFINITY;

  #write() {
    if (++this.writes > this.failAfter) throw new Error(`injected failure at write ${this.writes}`);
  }

  kv = {
    get: async (key: string, _type: 'json') => {
      const v = this.kvData.get(key);
      return v === undefined ? null : JSON.parse(v);
    },
    put: async (key: string, value: string) => {
      this.#write();
      this.kvData.set(key, value);
    },
    delete: async (key: string) => {
      this.kvData.delete(key);
    },
    list: async (options: { prefix: string }) => ({
      keys: [...this.kvData.keys()].filter((k) => k.startsWith(options.prefix)).map((name) => ({ name })),
      list_complete: true,
    }),
  };

  r2 = {
    head: async (key: string) => (this.r2Data.has(key) ? {} : null),
    put: async (key: string, value: string | Uint8Array) => {
      this.#write();
      this.r2Data.set(key, typeof value === 'string' ? new TextEncoder().encode(value) : value);
    },
    delete: async (key: string) => {
      this.r2Data.delete(key);
    },
  };
}

/** Reads a page or file entry of the current mirror version from a MemoryStore, as the showroom does. */
export async function readPublished(store: MemoryStore, path: string): Promise<{ html?: string; file?: MirrorFileRef } | null> {
  const pointer = JSON.parse(store.kvData.get(MIRROR_POINTER_KEY) ?? '{"versions":[]}') as MirrorPointer;
  const current = pointer.versions[0];
  if (!current) return null;
  const index = JSON.parse(store.kvData.get(mirrorKeys.index(current.version, bucketOf(path, current.indexBuckets))) ?? '{}') as Record<
    string,
    PageSlot | MirrorFileRef
  >;
  const entry = index[path];
  if (!entry) return null;
  if (!Array.isArray(entry)) return { file: entry };
  const chunk = store.kvData.get(mirrorKeys.chunk(current.version, entry[0])) ?? '';
  return { html: chunk.slice(entry[1], entry[1] + entry[2]) };
}
