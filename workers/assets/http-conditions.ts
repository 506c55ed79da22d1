/**
 * RFC 9110 byte ranges and preconditions for one representation, as pure
 * functions of the request headers and the object's size, ETag and date:
 *
 * - `If-None-Match` (weak comparison, `*`) → 304; without it, `If-Modified-Since` → 304.
 * - `Range: bytes=a-b | a- | -n`, one range only: 206 with its exact span; a first byte
 *   at or past the end → 416 (Content-Range "bytes *" slash size); malformed syntax or several ranges → ignored (200 full).
 * - `If-Range` (a strong ETag that matches, or the exact Last-Modified date) keeps the Range; otherwise 200 full.
 *
 * @example
 * decide(new Headers({ range: 'bytes=-100' }), { size: 1000, etag: '"abc"', modified: new Date() });
 * // { status: 206, range: { offset: 900, length: 100 } }
 */

export interface Representation {
  size: number;
  /** Strong ETag, quoted. */
  etag: string;
  modified: Date;
}

/** A satisfiable byte range, resolved against the representation's size. */
export interface ByteSpan {
  offset: number;
  length: number;
}

export type Decision = { status: 200 } | { status: 206; range: ByteSpan } | { status: 304 } | { status: 416 };

export function decide(headers: Headers, rep: Representation): Decision {
  const inm = headers.get('if-none-match');
  if (inm !== null) {
    if (etagListMatches(inm, rep.etag)) return { status: 304 };
  } else {
    const ims = httpDate(headers.get('if-modified-since'));
    if (ims !== undefined && seconds(rep.modified) <= ims) return { status: 304 };
  }
  const range = headers.get('range');
  if (range === null || !ifRangeHolds(headers.get('if-range'), rep)) return { status: 200 };
  const parsed = parseRange(range, rep.size);
  if (parsed === 'ignore') return { status: 200 };
  if (parsed === 'unsatisfiable') return { status: 416 };
  return { status: 206, range: parsed };
}

/** One `bytes=` range resolved against `size`; `ignore` for bad syntax or several ranges. */
export function parseRange(header: string, size: number): ByteSpan | 'ignore' | 'unsatisfiable' {
  const m = /^bytes=(\d*)-(\d*)$/i.exec(header.trim());
  if (!m) return 'ignore';
  const [, first, last] = m as unknown as [string, string, string];
  if (first === '' && last === '') return 'ignore';
  if (first === '') {
    const suffix = Number(last);
    if (suffix === 0) return 'unsatisfiable';
    const length = Math.min(suffix, size);
    return size === 0 ? 'unsatisfiable' : { offset: size - length, length };
  }
  const start = Number(first);
  const end = last === '' ? size - 1 : Number(last);
  if (last !== '' && end < start) return 'ignore';
  if (start >= size) return 'unsatisfiable';
  return { offset: start, length: Math.min(end, size - 1) - start + 1 };
}

/** The Content-Range of a 206 (RFC 9110 §14.4). */
export function contentRange(span: ByteSpan, size: number): string {
  return `bytes ${span.offset}-${span.offset + span.length - 1}/${size}`;
}

function ifRangeHolds(value: string | null, rep: Representation): boolean {
  if (value === null) return true;
  const v = value.trim();
  if (v.startsWith('"')) return v === rep.etag; // strong comparison only
  if (v.startsWith('W/')) return false;
  const date = httpDate(v);
  return date !== undefined && date === seconds(rep.modified);
}

function etagListMatches(list: string, etag: string): boolean {
  if (list.trim() === '*') return true;
  const opaque = etag.replace(/^W\//, '');
  return list.split(',').some((tag) => tag.trim().replace(/^W\//, '') === opaque);
}

function httpDate(value: string | null): number | undefined {
  if (!value) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : Math.floor(ms / 1000);
}

function seconds(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}
