/**
 * Shared helpers for the example origin's tests: hand-built products, a started origin on random ports,
 * and raw HTTP/TCP probes that show what a client really sees (socket errors, partial bodies, chunks).
 */
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { connect } from 'node:net';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { type OriginHandle, type StartOriginOptions, startOrigin } from '../../../examples/origin/start-origin.ts';
import type { Product } from '../../../workers/shared/catalog/product-schema.ts';

/** A valid product (ProductSchema output shape), deterministic per index. */
export function makeProduct(index: number, overrides: Partial<Product> = {}): Product {
  const n = String(index).padStart(3, '0');
  return {
    sku: `TST-${n}`,
    slug: `test-product-${n}`,
    title: `Test product ${n}`,
    description: index % 2 === 0 ? 'An even, sturdy chair for long sessions.' : 'An odd little lamp that glows.',
    category: index % 3 === 0 ? 'chairs' : 'lamps',
    categoryName: index % 3 === 0 ? 'Chairs' : 'Lamps',
    brand: index % 5 === 0 ? 'Acme' : 'Lumen',
    price: 10 + index,
    currency: 'USD',
    availability: 'in_stock',
    stock: 7,
    images: [{ url: `https://img.example.com/${n}.jpg`, alt: `Product ${n}` }],
    tags: index === 7 ? ['Featured', 'gift'] : ['basic'],
    variants: [],
    ...overrides,
  };
}

/** `count` products, TST-000 .. TST-<count-1>. */
export function makeProducts(count: number): Product[] {
  return Array.from({ length: count }, (_, i) => makeProduct(i));
}

/** Starts an origin on random ports with an in-memory database and hand-built products. */
export function startTestOrigin(options: StartOriginOptions = {}): Promise<OriginHandle> {
  return startOrigin({ port: 0, controlPort: 0, dbPath: ':memory:', products: makeProducts(40), quiet: true, ...options });
}

/** What one raw request observed. */
export interface RawResult {
  status?: number;
  headers?: IncomingHttpHeaders;
  /** Body chunks in arrival order. */
  chunks: Buffer[];
  body: string;
  /** Error before a response (socket error) or while reading the body. */
  error?: NodeJS.ErrnoException;
  /** When the error happened. */
  phase?: 'before-response' | 'body';
  /** Whether the response body completed normally. */
  complete: boolean;
  timedOut: boolean;
}

/**
 * One request over a fresh connection (no keep-alive pool), recording everything the client sees.
 * Resolves (never rejects) on completion, error, or `timeoutMs`.
 */
export function rawRequest(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string; timeoutMs?: number } = {},
): Promise<RawResult> {
  return new Promise((resolve) => {
    const result: RawResult = { chunks: [], body: '', complete: false, timedOut: false };
    let settled = false;
    const finish = () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      result.body = Buffer.concat(result.chunks).toString('utf8');
      req.destroy();
      resolve(result);
    };
    const req = httpRequest(url, { method: options.method ?? 'GET', headers: options.headers, agent: false }, (res) => {
      result.status = res.statusCode;
      result.headers = res.headers;
      res.on('data', (chunk: Buffer) => result.chunks.push(chunk));
      res.on('end', () => {
        result.complete = true;
        finish();
      });
      res.on('error', (error: NodeJS.ErrnoException) => {
        result.error ??= error;
        result.phase ??= 'body';
        finish();
      });
      res.on('aborted', () => {
        result.phase ??= 'body';
      });
      res.on('close', () => {
        if (!result.complete) {
          result.phase ??= 'body';
          result.error ??= Object.assign(new Error('response closed before its end'), { code: 'ECONNRESET' });
        }
        finish();
      });
    });
    req.on('error', (error: NodeJS.ErrnoException) => {
      result.error ??= error;
      result.phase ??= result.status === undefined ? 'before-response' : 'body';
      finish();
    });
    const timer = setTimeout(() => {
      result.timedOut = true;
      finish();
    }, options.timeoutMs ?? 5000);
    req.end(options.body);
  });
}

/** Opens a TCP connection to `port`; resolves `'connected'` or the error code (e.g. `ECONNREFUSED`). */
export function probeConnect(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

/** The `code` of an error or of its causes (undici puts the socket error in `cause`). */
export function errorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth += 1) {
    if ('code' in current && typeof current.code === 'string') return current.code;
    current = 'cause' in current ? current.cause : undefined;
  }
  return undefined;
}

/** Polls `check` every `intervalMs` until it returns true or `timeoutMs` passes. */
export async function waitUntil(check: () => Promise<boolean> | boolean, timeoutMs = 5000, intervalMs = 20): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(`condition not met within ${timeoutMs} ms`);
}

/** POSTs JSON with an Idempotency-Key. */
export function postJson(url: string, body: unknown, key?: string): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(key === undefined ? {} : { 'Idempotency-Key': key }) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/**
 * One origin for a whole test file: started before its tests, faults cleared
 * after each, closed at the end. Read it through the returned getter.
 */
export function useTestOrigin(options: StartOriginOptions = {}): () => OriginHandle {
  let origin: OriginHandle | undefined;
  beforeAll(async () => {
    origin = await startTestOrigin(options);
  });
  afterEach(async () => {
    origin?.clearFaults();
    await origin?.settled();
  });
  afterAll(async () => {
    await origin?.close();
  });
  return () => {
    if (!origin) throw new Error('the test origin is not started yet');
    return origin;
  };
}
