/**
 * The runtime's limit, for `npm run bench`: a worker that answers from memory
 * with bytes it was handed (POST /__bytes?path=/x), nothing else.
 */
const bodies = new Map<string, { bytes: ArrayBuffer; type: string }>();

export default {
  async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    if (request.method === 'POST' && url.pathname === '/__bytes') {
      bodies.set(url.searchParams.get('path') ?? '/', {
        bytes: await request.arrayBuffer(),
        type: request.headers.get('content-type') ?? 'text/plain',
      });
      return new Response('stored');
    }
    const hit = bodies.get(url.pathname);
    return hit ? new Response(hit.bytes, { headers: { 'content-type': hit.type } }) : new Response('not set', { status: 404 });
  },
};
