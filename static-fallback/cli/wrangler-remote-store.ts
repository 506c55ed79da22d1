/**
 * KV and R2 of a deployed environment, through the wrangler CLI (the account
 * and ids in wrangler.toml, the operator's `wrangler login`). KV writes are
 * buffered and sent with `wrangler kv bulk put` (10,000 keys per call);
 * `flush()` must be called before anything that depends on earlier writes,
 * which is why the pointer is written through `putNow`.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from '../local-state.ts';

const run = promisify(execFile);
export const KV_BULK_LIMIT = 10_000;

export class WranglerRemoteStore {
  readonly #env: string;
  readonly #bucket: string;
  #pending: { key: string; value: string }[] = [];

  constructor(env: string, bucket: string) {
    this.#env = env;
    this.#bucket = bucket;
  }

  async #wrangler(args: string[]): Promise<string> {
    const { stdout } = await run(join(PROJECT_ROOT, 'node_modules/.bin/wrangler'), [...args, '--env', this.#env, '--remote'], {
      cwd: PROJECT_ROOT,
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, WRANGLER_SEND_METRICS: 'false' },
    });
    return stdout;
  }

  kv = {
    get: async (key: string, _type: 'json'): Promise<unknown> => {
      try {
        return JSON.parse(await this.#wrangler(['kv', 'key', 'get', key, '--binding', 'CATALOG_KV', '--text']));
      } catch {
        return null;
      }
    },
    put: async (key: string, value: string): Promise<void> => {
      this.#pending.push({ key, value });
      if (this.#pending.length >= KV_BULK_LIMIT) await this.flush();
    },
    delete: async (key: string): Promise<void> => {
      await this.#wrangler(['kv', 'key', 'delete', key, '--binding', 'CATALOG_KV']);
    },
    list: async (options: { prefix: string }) => {
      const keys = JSON.parse(await this.#wrangler(['kv', 'key', 'list', '--binding', 'CATALOG_KV', '--prefix', options.prefix])) as {
        name: string;
      }[];
      return { keys, list_complete: true };
    },
  };

  r2 = {
    head: async (_key: string): Promise<unknown> => null,
    /** `wrangler r2 object put` cannot set custom metadata: `options.customMetadata` is not sent. */
    put: async (
      key: string,
      value: string | Uint8Array,
      options?: { httpMetadata?: { contentType?: string; cacheControl?: string }; customMetadata?: Record<string, string> },
    ): Promise<void> => {
      const dir = await mkdtemp(join(tmpdir(), 'vitrine-r2-'));
      try {
        await writeFile(join(dir, 'body'), value);
        const type = options?.httpMetadata?.contentType;
        const cache = options?.httpMetadata?.cacheControl;
        await this.#wrangler([
          'r2',
          'object',
          'put',
          `${this.#bucket}/${key}`,
          '--file',
          join(dir, 'body'),
          ...(type ? ['--content-type', type] : []),
          ...(cache ? ['--cache-control', cache] : []),
        ]);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
    delete: async (key: string): Promise<void> => {
      await this.#wrangler(['r2', 'object', 'delete', `${this.#bucket}/${key}`]);
    },
  };

  /** Sends every buffered KV write. */
  async flush(): Promise<void> {
    while (this.#pending.length) {
      const batch = this.#pending.splice(0, KV_BULK_LIMIT);
      const dir = await mkdtemp(join(tmpdir(), 'vitrine-kv-'));
      try {
        await writeFile(join(dir, 'bulk.json'), JSON.stringify(batch));
        await this.#wrangler(['kv', 'bulk', 'put', join(dir, 'bulk.json'), '--binding', 'CATALOG_KV']);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    }
  }
}
