/**
 * Packs a mirror version's pages into chunks and its pages and files into
 * index buckets (see mirror-layout.ts). Pure and streaming: pages go in one at
 * a time and full chunks come out as KV writes; only the index is held.
 *
 * @example
 * const packer = new MirrorPacker(version, totalEntries);
 * for (const page of pages) for (const [key, value] of packer.addPage(page.path, page.html)) await kv.put(key, value);
 * for (const [key, value] of packer.finish()) await kv.put(key, value);
 */
import { bucketOf } from '../snapshot/snapshot-layout.ts';
import { INDEX_ENTRIES_PER_BUCKET, type MirrorFileRef, mirrorKeys, PAGES_PER_CHUNK, type PageSlot } from './mirror-layout.ts';

export function indexBucketsFor(entries: number): number {
  return Math.max(1, Math.ceil(entries / INDEX_ENTRIES_PER_BUCKET));
}

export class MirrorPacker {
  readonly indexBuckets: number;
  readonly #version: string;
  readonly #index = new Map<number, Record<string, PageSlot | MirrorFileRef>>();
  #chunk: string[] = [];
  #chunkLength = 0;
  #chunkNo = 0;

  /** `entries`: pages plus files this version will hold (sizes the index). */
  constructor(version: string, entries: number) {
    this.#version = version;
    this.indexBuckets = indexBucketsFor(entries);
  }

  /** Adds a page; returns the KV writes that became ready (a full chunk), if any. */
  addPage(path: string, html: string): [string, string][] {
    this.#entry(path, [this.#chunkNo, this.#chunkLength, html.length]);
    this.#chunk.push(html);
    this.#chunkLength += html.length;
    return this.#chunk.length >= PAGES_PER_CHUNK ? [this.#flushChunk()] : [];
  }

  addFile(path: string, ref: MirrorFileRef): void {
    this.#entry(path, ref);
  }

  /** The last chunk and every index bucket (empty ones included: a missing key means "not visible here yet"). */
  finish(): [string, string][] {
    const writes: [string, string][] = this.#chunk.length ? [this.#flushChunk()] : [];
    for (let b = 0; b < this.indexBuckets; b++) writes.push([mirrorKeys.index(this.#version, b), JSON.stringify(this.#index.get(b) ?? {})]);
    return writes;
  }

  #entry(path: string, value: PageSlot | MirrorFileRef): void {
    const bucket = bucketOf(path, this.indexBuckets);
    const entries = this.#index.get(bucket) ?? {};
    entries[path] = value;
    this.#index.set(bucket, entries);
  }

  #flushChunk(): [string, string] {
    const write: [string, string] = [mirrorKeys.chunk(this.#version, this.#chunkNo), this.#chunk.join('')];
    this.#chunk = [];
    this.#chunkLength = 0;
    this.#chunkNo++;
    return write;
  }
}
