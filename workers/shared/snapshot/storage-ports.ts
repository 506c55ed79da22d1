/**
 * The slice of KV and R2 the snapshot code uses. Workers pass their real
 * bindings; Node tools pass the same bindings from wrangler's platform proxy;
 * unit tests may pass a Map-backed fake.
 */
export interface KvPort {
  get(key: string, type: 'json'): Promise<unknown>;
  put(key: string, value: string): Promise<unknown>;
  delete(key: string): Promise<unknown>;
  list(options: { prefix: string; cursor?: string | null }): Promise<{ keys: { name: string }[]; list_complete: boolean; cursor?: string }>;
}

export interface R2Port {
  head(key: string): Promise<unknown>;
  put(
    key: string,
    value: string | Uint8Array,
    options?: { httpMetadata?: { contentType?: string; cacheControl?: string }; customMetadata?: Record<string, string> },
  ): Promise<unknown>;
  delete(key: string): Promise<unknown>;
}
