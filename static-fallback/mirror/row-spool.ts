/**
 * Text rows grouped by key (comparison-CSV rows by category) while products
 * stream by in catalog order, with bounded memory: rows are buffered per key
 * and the largest buffer is appended to that key's file on disk whenever the
 * buffers together pass `memoryBytes`. `take(key)` returns a key's rows in the
 * order they were added and forgets them.
 *
 * @example
 * const spool = await RowSpool.open();
 * spool.add('beauty', 'GEN-1,Lipstick\n');
 * const rows = await spool.take('beauty'); // Buffer 'GEN-1,Lipstick\n'
 * await spool.dispose();
 */
import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RowSpoolOptions {
  /** Rows held in memory across all keys before the largest buffer goes to disk. */
  memoryBytes: number;
}

export const ROW_SPOOL_DEFAULTS: RowSpoolOptions = { memoryBytes: 8 * 1024 * 1024 };

export class RowSpool {
  readonly #dir: string;
  readonly #options: RowSpoolOptions;
  readonly #buffers = new Map<string, { rows: string[]; bytes: number }>();
  readonly #files = new Map<string, string>();
  #buffered = 0;

  private constructor(dir: string, options: RowSpoolOptions) {
    this.#dir = dir;
    this.#options = options;
  }

  static async open(options: Partial<RowSpoolOptions> = {}): Promise<RowSpool> {
    return new RowSpool(await mkdtemp(join(tmpdir(), 'vitrine-rows-')), { ...ROW_SPOOL_DEFAULTS, ...options });
  }

  async add(key: string, row: string): Promise<void> {
    const buffer = this.#buffers.get(key) ?? { rows: [], bytes: 0 };
    buffer.rows.push(row);
    buffer.bytes += row.length;
    this.#buffers.set(key, buffer);
    this.#buffered += row.length;
    if (this.#buffered > this.#options.memoryBytes) await this.#spillLargest();
  }

  /** Every row added under `key`, in order, as one UTF-8 buffer; the key is then empty. */
  async take(key: string): Promise<Buffer> {
    const file = this.#files.get(key);
    const spilled = file ? await readFile(file) : Buffer.alloc(0);
    const buffer = this.#buffers.get(key);
    this.#buffers.delete(key);
    this.#buffered -= buffer?.bytes ?? 0;
    if (file) {
      this.#files.delete(key);
      await rm(file, { force: true });
    }
    return buffer ? Buffer.concat([spilled, Buffer.from(buffer.rows.join(''))]) : spilled;
  }

  async dispose(): Promise<void> {
    await rm(this.#dir, { recursive: true, force: true });
  }

  async #spillLargest(): Promise<void> {
    let largest: [string, { rows: string[]; bytes: number }] | undefined;
    for (const entry of this.#buffers) if (!largest || entry[1].bytes > largest[1].bytes) largest = entry;
    if (!largest) return;
    const [key, buffer] = largest;
    const file = this.#files.get(key) ?? join(this.#dir, `${this.#files.size}.rows`);
    this.#files.set(key, file);
    await appendFile(file, buffer.rows.join(''));
    this.#buffers.delete(key);
    this.#buffered -= buffer.bytes;
  }
}
