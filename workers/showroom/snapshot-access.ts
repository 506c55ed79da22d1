import { SnapshotReader } from '../shared/snapshot/snapshot-reader.ts';

let reader: SnapshotReader | undefined;

/** This isolate's snapshot reader (its caches live as long as the isolate). */
export function snapshotReader(env: Env): SnapshotReader {
  reader ??= new SnapshotReader(env.CATALOG_KV);
  return reader;
}

/** Test hook, and what a publish from this isolate calls: forget cached pointer and values. */
export function resetSnapshotReader(): void {
  reader = undefined;
}
