/**
 * RFC 9457 problem details, the one error shape of the example origin (routes, faults, control endpoint).
 */
import type { ServerResponse } from 'node:http';
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** The media type of every error body. */
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** `{ type, title, status, detail }`, always with `type: "about:blank"`. */
export interface Problem {
  type: 'about:blank';
  title: string;
  status: number;
  detail: string;
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  409: 'Conflict',
  410: 'Gone',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  425: 'Too Early',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** The standard reason phrase of a status, or a generic one. */
export function statusTitle(status: number): string {
  return TITLES[status] ?? (status >= 500 ? 'Server Error' : 'Client Error');
}

/** Builds a problem document; `title` defaults to the status's reason phrase. */
export function problem(status: number, detail: string, title: string = statusTitle(status)): Problem {
  return { type: 'about:blank', title, status, detail };
}

/** Answers a problem from a Hono handler. */
export function problemResponse(c: Context, status: ContentfulStatusCode, detail: string, headers: Record<string, string> = {}): Response {
  return c.body(JSON.stringify(problem(status, detail)), status, { ...headers, 'Content-Type': PROBLEM_CONTENT_TYPE });
}

/** Writes a complete problem response on a raw Node response (fault injection, outside Hono). */
export function writeProblem(outgoing: ServerResponse, status: number, detail: string, headers: Record<string, string> = {}): void {
  const body = JSON.stringify(problem(status, detail));
  outgoing.writeHead(status, {
    ...headers,
    'Content-Type': PROBLEM_CONTENT_TYPE,
    'Content-Length': String(Buffer.byteLength(body)),
  });
  outgoing.end(body);
}
