/**
 * The one typed HTTP error of Vitrine's workers. Handlers throw it; each
 * worker's single `onError` turns it into problem+json (APIs) or a page (HTML).
 *
 * @example
 * throw new HttpError(400, 'pageSize must be between 1 and 100', { field: 'pageSize' });
 */
export class HttpError extends Error {
  override readonly name = 'HttpError';
  constructor(
    readonly status: number,
    message: string,
    readonly extra: { field?: string; cause?: unknown; headers?: Record<string, string> } = {},
  ) {
    super(message, { cause: extra.cause });
  }
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** RFC 9457 problem details body. */
export function problemJson(status: number, detail: string, field?: string): Response {
  const body = { type: 'about:blank', title: TITLES[status] ?? 'Error', status, detail, ...(field ? { field } : {}) };
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/problem+json; charset=utf-8' } });
}
