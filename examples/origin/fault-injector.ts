/**
 * The thin `node:http` layer in front of the Hono app that injects faults on the shopper port.
 *
 * Three families:
 * - socket faults never reach the app: `down` (scoped/partial: socket destroyed on arrival, no bytes),
 *   `hang`, `reset`;
 * - canned answers never reach the app either, so a write is NOT stored: `error=<status>`, `garbage`, `html`
 *   (and `slow`, which only delays the normal path);
 * - damaging faults run the real handler, then damage its answer, so a write IS stored:
 *   `drip`, `truncate`, `reset-mid-body`, `bad-schema`, `commit-then-reset`, `commit-then-500`
 *   (the last two on writes only, reads pass untouched; body faults let HEAD through, it has no body).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { getRequestListener, type HttpBindings } from '@hono/node-server';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import type { FaultSpec } from './fault-spec.ts';
import { writeProblem } from './problem.ts';
import type { RequestStats } from './request-stats.ts';

/** Bytes per chunk of `drip`. */
export const DRIP_CHUNK_BYTES = 64;

/** The body `garbage` answers: starts like JSON, is not JSON. */
export const GARBAGE_BODY = '{"items":[{"sku":"BEA-\u0000\u00ff\u00fe<<garbage>>';

/** The page `html` answers: what a misconfigured proxy or captive portal serves with a 200. */
export const HTML_ERROR_PAGE =
  '<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>\n<body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>\n';

/** Something with Hono's `fetch` signature. */
export interface FetchApp {
  fetch(request: Request, env: HttpBindings): Response | Promise<Response>;
}

/** What the injector needs. */
export interface FaultInjectorOptions {
  app: FetchApp;
  /** The fault for one request (see FaultControl.resolve); `flap` must already be resolved. */
  resolveFault(pathname: string): FaultSpec;
  stats: RequestStats;
}

/** The app behind @hono/node-server's request listener. */
type RunApp = (request: Request, env: Parameters<Parameters<typeof getRequestListener>[0]>[1]) => Promise<Response>;

/** A `node:http` request listener. */
export type NodeRequestListener = (incoming: IncomingMessage, outgoing: ServerResponse) => void;

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Whether the method changes state (the target of `commit-then-*`). */
export function isWriteMethod(method: string | undefined): boolean {
  return WRITE_METHODS.has((method ?? 'GET').toUpperCase());
}

/** The pathname of a request target, `/` when it cannot be parsed. */
export function requestPathname(url: string | undefined): string {
  try {
    return new URL(url ?? '/', 'http://origin.invalid').pathname;
  } catch {
    return '/';
  }
}

/** Builds the shopper port's request listener: stats, then the request's fault, then the app. */
export function createFaultInjector(options: FaultInjectorOptions): NodeRequestListener {
  const { app, stats } = options;
  const runApp: RunApp = async (request, env) => app.fetch(request, env as HttpBindings);
  const passThrough = getRequestListener(runApp, { overrideGlobalObjects: false });

  return (incoming, outgoing) => {
    const pathname = requestPathname(incoming.url);
    stats.record(pathname);
    const fault = options.resolveFault(pathname);

    switch (fault.kind) {
      case 'ok':
      case 'flap':
        void passThrough(incoming, outgoing);
        return;
      case 'down':
        // Scoped (path prefix) or partial (percent) down: the connection was accepted before the path
        // was known, so it cannot be refused; the socket is destroyed on arrival instead, no byte sent.
        // (down on "/" at 100% closes the listener itself, see fault-control.ts; this also covers the race.)
        incoming.socket.destroy();
        return;
      case 'reset':
        resetSocket(incoming.socket);
        return;
      case 'hang':
        // Nothing: the request stays unanswered and the socket open until the client gives up
        // (or the origin closes, which destroys every socket).
        return;
      case 'slow': {
        const timer = setTimeout(() => {
          if (!outgoing.destroyed) void passThrough(incoming, outgoing);
        }, fault.ms);
        outgoing.once('close', () => clearTimeout(timer));
        return;
      }
      case 'error': {
        const retry: Record<string, string> = fault.status === 429 || fault.status === 503 ? { 'Retry-After': '5' } : {};
        writeProblem(outgoing, fault.status, `Injected fault error=${fault.status}.`, retry);
        return;
      }
      case 'garbage':
        writeRaw(outgoing, 200, 'application/json; charset=utf-8', GARBAGE_BODY);
        return;
      case 'html':
        writeRaw(outgoing, 200, 'text/html; charset=utf-8', HTML_ERROR_PAGE);
        return;
      case 'commit-then-reset':
      case 'commit-then-500':
        if (!isWriteMethod(incoming.method)) {
          void passThrough(incoming, outgoing);
          return;
        }
        runThenDamage(fault, runApp, incoming, outgoing);
        return;
      case 'drip':
      case 'truncate':
      case 'reset-mid-body':
      case 'bad-schema':
        // A HEAD answer has no body to damage: it passes through untouched.
        if (incoming.method === 'HEAD') void passThrough(incoming, outgoing);
        else runThenDamage(fault, runApp, incoming, outgoing);
        return;
    }
  };
}

/** Runs the app through @hono/node-server, then delivers its answer damaged by `fault`. */
function runThenDamage(fault: FaultSpec, runApp: RunApp, incoming: IncomingMessage, outgoing: ServerResponse): void {
  const listener = getRequestListener(
    async (request, env) => {
      const response = await runApp(request, env);
      const body = Buffer.from(await response.arrayBuffer());
      if (!outgoing.destroyed) deliverDamaged(fault, response, body, outgoing);
      return RESPONSE_ALREADY_SENT;
    },
    { overrideGlobalObjects: false },
  );
  void listener(incoming, outgoing);
}

function deliverDamaged(fault: FaultSpec, response: Response, body: Buffer, outgoing: ServerResponse): void {
  const headers = headerRecord(response.headers);
  const socket = outgoing.socket;
  switch (fault.kind) {
    case 'drip': {
      outgoing.writeHead(response.status, { ...headers, 'Content-Length': String(body.length) });
      outgoing.flushHeaders();
      let offset = 0;
      const timer = setInterval(() => {
        const chunk = body.subarray(offset, offset + DRIP_CHUNK_BYTES);
        offset += chunk.length;
        if (offset >= body.length) {
          clearInterval(timer);
          outgoing.end(chunk);
        } else {
          outgoing.write(chunk);
        }
      }, fault.ms);
      outgoing.once('close', () => clearInterval(timer));
      return;
    }
    case 'truncate': {
      // Declare the full length (at least one byte more than sent), send half, then close: the client's body read fails.
      const sent = Math.floor(body.length / 2);
      const declared = Math.max(body.length, sent + 1);
      outgoing.writeHead(response.status, { ...headers, 'Content-Length': String(declared) });
      if (sent > 0) outgoing.write(body.subarray(0, sent));
      else outgoing.flushHeaders();
      socket?.destroySoon();
      return;
    }
    case 'reset-mid-body': {
      // Chunked (no Content-Length), half the body, then the socket goes away without the last chunk.
      const sent = Math.floor(body.length / 2);
      outgoing.writeHead(response.status, headers);
      outgoing.flushHeaders();
      outgoing.write(sent > 0 ? body.subarray(0, sent) : Buffer.from(' '), () => socket?.destroy());
      return;
    }
    case 'bad-schema':
      writeRaw(outgoing, 200, 'application/json; charset=utf-8', JSON.stringify(breakProductSchema(parseJson(body))));
      return;
    case 'commit-then-reset':
      socket?.destroy();
      return;
    case 'commit-then-500':
      writeProblem(outgoing, 500, 'Internal error while sending the response.');
      return;
    default:
      writeRaw(outgoing, response.status, headers['content-type'] ?? 'application/octet-stream', body);
  }
}

/** Response headers as a plain record, minus the framing ones the injector decides itself. */
function headerRecord(headers: Headers): Record<string, string> {
  const record: Record<string, string> = {};
  for (const [name, value] of headers) {
    if (name !== 'content-length' && name !== 'transfer-encoding') record[name] = value;
  }
  return record;
}

function writeRaw(outgoing: ServerResponse, status: number, contentType: string, body: string | Buffer): void {
  outgoing.writeHead(status, { 'Content-Type': contentType, 'Content-Length': String(Buffer.byteLength(body)) });
  outgoing.end(body);
}

/** Sends a TCP RST when the platform allows it, else a plain destroy. */
function resetSocket(socket: Socket): void {
  if (typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy();
  else socket.destroy();
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A product gone wrong: no sku, price as a string, an unknown availability. */
function breakProduct(value: unknown): Record<string, unknown> {
  const product: Record<string, unknown> = isRecord(value) ? { ...value } : { title: 'Broken product', price: 19.99 };
  delete product.sku;
  product.price = String(product.price ?? '19.99');
  product.availability = 'maybe';
  return product;
}

function breakAll(list: unknown[]): Record<string, unknown>[] {
  return list.length === 0 ? [breakProduct(undefined)] : list.map(breakProduct);
}

/**
 * The answer `bad-schema` sends: the real JSON with its products broken (a listing's `items`,
 * a snapshot's `products`, a single product), or one broken product for anything else.
 */
export function breakProductSchema(payload: unknown): unknown {
  if (isRecord(payload)) {
    if (Array.isArray(payload.items)) return { ...payload, items: breakAll(payload.items) };
    if (Array.isArray(payload.products)) return { ...payload, products: breakAll(payload.products) };
    if (typeof payload.sku === 'string') return breakProduct(payload);
  }
  return breakProduct(undefined);
}
