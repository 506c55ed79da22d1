/**
 * The static mirror on real parts: built from the fixture catalog, published
 * with the real publish code into the local state, and served by the showroom
 * on `wrangler dev` in live and in degraded mode.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../support/local-stack.ts';

let stack: LocalStack;

beforeAll(async () => {
  stack = await startLocalStack({ mirror: true, vars: { PROBE_INTERVAL_MS: '500', ORIGIN_DEADLINE_MS: '400' } });
}, 180_000);

afterAll(async () => {
  await stack?.stop();
});

async function waitForMode(mode: string): Promise<void> {
  for (let i = 0; i < 100 && (await stack.status()).mode !== mode; i++) await new Promise((r) => setTimeout(r, 200));
  expect((await stack.status()).mode).toBe(mode);
}

describe('the published mirror on the real stack', () => {
  it('serves mirror pages live, with live prices, and the mirror-only pages and files', async () => {
    const page = await fetch(`${stack.edgeUrl}/p/knoll-saarinen-executive-conference-chair`);
    expect(page.status).toBe(200);
    expect(page.headers.get('x-vitrine-source')).toBe('mirror');
    const html = await page.text();
    expect(html).toContain('data-vitrine-live="true"');
    expect(html).toContain('href="/p/knoll-saarinen-executive-conference-chair/spec-sheet.pdf"');

    const pdf = await fetch(`${stack.edgeUrl}/p/knoll-saarinen-executive-conference-chair/spec-sheet.pdf`);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(new TextDecoder().decode((await pdf.arrayBuffer()).slice(0, 5))).toBe('%PDF-');
    const csv = await fetch(`${stack.edgeUrl}/c/furniture/comparison.csv`);
    expect((await csv.text()).split('\r\n')[0]).toMatch(/^sku,title,/);
    for (const path of ['/search', '/quote', '/sitemap.xml', '/robots.txt', '/assets/search-index.js']) {
      expect((await fetch(`${stack.edgeUrl}${path}`)).status, path).toBe(200);
    }
  });

  it('serves the same mirror pages degraded when the origin dies, and live again when it returns', async () => {
    await stack.setFault('down');
    await waitForMode('degraded');
    // Isolates refresh their view of the mode at most once a second (stale-while-revalidate),
    // so the page may lag /status.json by one request: ask until it follows, boundedly.
    let res = await fetch(`${stack.edgeUrl}/p/knoll-saarinen-executive-conference-chair`);
    for (let i = 0; i < 20 && res.headers.get('x-vitrine-mode') !== 'degraded'; i++) {
      await res.arrayBuffer();
      await new Promise((r) => setTimeout(r, 300));
      res = await fetch(`${stack.edgeUrl}/p/knoll-saarinen-executive-conference-chair`);
    }
    expect(res.status).toBe(200);
    expect(res.headers.get('x-vitrine-mode')).toBe('degraded');
    expect(res.headers.get('x-vitrine-source')).toBe('mirror');
    const html = await res.text();
    expect(html).toContain('data-vitrine-banner');
    expect(html).toContain('data-vitrine-quote');
    await stack.setFault('ok');
    await waitForMode('live');
  }, 60_000);
});
