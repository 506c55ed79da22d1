/**
 * The mirror's search and quote pages (rendered HTML) and quote-client.js,
 * run in node:vm against a tiny fake DOM with a scripted fetch and timer.
 */
import { readFileSync } from 'node:fs';
import { Script } from 'node:vm';
import { describe, expect, it } from 'vitest';
import type { PageContext } from '../../../workers/shared/templates/page-context.ts';
import { QUOTE_KINDS, type QuoteMailFields, QuotePage, quoteMailto } from '../../../workers/shared/templates/quote-page.tsx';
import { renderPage } from '../../../workers/shared/templates/render-page.ts';
import { SearchPage } from '../../../workers/shared/templates/search-page.tsx';

const ORIGIN = 'https://shop.example.com';
const ENDPOINT = `${ORIGIN}/api/leads`;
const EMAIL = 'sales+quotes@example.com';
const HOSTILE = '</option><script>alert(1)</script> "Q" & ünï';

/** Relative file links, as the mirror folder uses them. */
const ctx: PageContext = {
  canonicalOrigin: ORIGIN,
  link: (p) => (p === '/' ? '../index.html' : `..${p}/index.html`),
  snapshotGeneratedAt: '2025-04-30T09:41:02.053Z',
  siteName: 'Demo <Showroom> & "Co"',
  readOnly: true,
  mirrorExtras: true,
};

const unescapeAttr = (s: string) =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
const attrs = (html: string, tag: string, attr: string) =>
  [...html.matchAll(new RegExp(`<${tag}\\b[^>]*\\s${attr}="([^"]*)"`, 'g'))].map((m) => unescapeAttr(m[1]!));

// A .ts file: components are called directly instead of through JSX.
const renderSearch = () => renderPage(SearchPage({ ctx, scripts: { index: '../assets/search-index.js', client: '../assets/search.js' } }));
const renderQuote = (products?: { sku: string; title: string }[]) =>
  renderPage(QuotePage({ ctx, endpoint: ENDPOINT, email: EMAIL, script: '../assets/quote.js', products }));

/** What every mirror page must hold to: relative links only, nothing loaded from elsewhere but product images. */
function expectSelfContained(html: string): void {
  for (const href of attrs(html, 'a', 'href')) expect(href, href).not.toMatch(/^(\/|https?:)/);
  expect(html).not.toMatch(/<link\b(?![^>]*rel="canonical")/);
  expect(html).not.toMatch(/@import|url\(/);
  for (const src of attrs(html, 'script', 'src')) expect(src, src).toMatch(/^\.\.\/assets\/[a-z-]+\.js$/);
  expect(html).not.toMatch(/<script\b(?![^>]*\ssrc=)/);
}

describe('SearchPage', () => {
  it('is a plain GET form to itself with a labelled q input, result slots and the two scripts', async () => {
    const html = await renderSearch();
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toMatch(/<form role="search" method="get" action="\.\.\/search\/index\.html">/);
    expect(html).toMatch(/<label for="search-q">Search products<\/label>/);
    expect(html).toMatch(/<input id="search-q" type="search" name="q"/);
    expect(html).toContain('<p id="search-status" role="status" aria-live="polite"></p>');
    expect(html).toContain('<ol id="search-results" class="search-results"></ol>');
    expect(attrs(html, 'script', 'src')).toEqual(['../assets/search-index.js', '../assets/search.js']);
    expect(html.indexOf('search-index.js')).toBeLessThan(html.indexOf('assets/search.js'));
  });

  it('says search needs JavaScript and links home to browse categories', async () => {
    const html = await renderSearch();
    expect(html).toMatch(
      /<noscript><p>Search needs JavaScript\. You can still <a href="\.\.\/index\.html">browse the catalog by category<\/a>/,
    );
  });

  it('escapes text, links relatively and loads nothing from elsewhere', async () => {
    const html = await renderSearch();
    expect(html).toContain('Demo &lt;Showroom&gt; &amp; &quot;Co&quot;');
    expect(html).not.toContain('<Showroom>');
    expectSelfContained(html);
  });
});

describe('QuotePage', () => {
  it('is a POST form to the endpoint with labelled, named fields', async () => {
    const html = await renderQuote([{ sku: 'BEA-ESS-ESS-001', title: 'Essence Mascara' }]);
    expect(html).toContain(`<form id="quote-form" class="commerce" method="post" action="${ENDPOINT}">`);
    const ids = attrs(html, '(?:input|select|textarea)', 'id');
    expect(ids).toEqual(['quote-kind', 'quote-sku', 'quote-quantity', 'quote-name', 'quote-email', 'quote-phone', 'quote-message']);
    expect(attrs(html, 'label', 'for')).toEqual(ids);
    expect(attrs(html, '(?:input|select|textarea)', 'name')).toEqual(['kind', 'sku', 'quantity', 'name', 'email', 'phone', 'message']);
    expect(html).toMatch(/<input id="quote-email" name="email" type="email" required=""/);
    expect(html).toMatch(/<input id="quote-name" name="name" required=""/);
    expect(html).toMatch(/<input id="quote-quantity" name="quantity" type="number" min="1"/);
    expect(html).toMatch(/<input id="quote-phone" name="phone" type="tel"/);
    expect(attrs(html, 'option', 'value').slice(0, 3)).toEqual(Object.keys(QUOTE_KINDS));
    expect(html).toContain('<option value="quote" selected="">Quote request</option>');
    expect(html).toContain('<input id="quote-sku" name="sku" maxlength="64" autocomplete="off" list="quote-products"/>');
    expect(html).toContain('<datalist id="quote-products"><option value="BEA-ESS-ESS-001">Essence Mascara</option></datalist>');
    expect(html).toContain('<button id="quote-submit" type="submit">Send request</button>');
    expect(attrs(html, 'script', 'src')).toEqual(['../assets/quote.js']);
  });

  it('has no datalist without products', async () => {
    const html = await renderQuote();
    expect(html).not.toContain('<datalist');
    expect(html).not.toContain('list=');
  });

  it('shows a mailto: fallback, percent-encoded', async () => {
    const html = await renderQuote();
    expect(html).toContain('If sending fails, email us: <a id="quote-mailto"');
    const href = unescapeAttr(/<a id="quote-mailto" href="([^"]*)"/.exec(html)?.[1] ?? '');
    expect(href).toBe(
      'mailto:sales%2Bquotes@example.com?subject=Quote%20request&body=SKU%3A%20%0D%0AQuantity%3A%20%0D%0AName%3A%20%0D%0APhone%3A%20%0D%0A%0D%0A',
    );
    expect(html).toContain(`>${EMAIL}</a>`);
  });

  it('quoteMailto encodes every field so nothing can add headers or parameters', () => {
    const fields: QuoteMailFields = {
      kind: 'order',
      sku: 'A&B=1',
      quantity: '3',
      name: 'Zoë "Z" O\'Neil',
      phone: '+1 555',
      message: 'Line 1\nLine 2 & more?',
    };
    const url = new URL(quoteMailto('o&x@example.com', fields));
    expect(url.protocol).toBe('mailto:');
    expect(url.pathname).toBe('o%26x@example.com');
    expect([...url.searchParams.keys()]).toEqual(['subject', 'body']);
    expect(url.searchParams.get('subject')).toBe('Order request for A&B=1');
    expect(url.searchParams.get('body')).toBe(
      'SKU: A&B=1\r\nQuantity: 3\r\nName: Zoë "Z" O\'Neil\r\nPhone: +1 555\r\n\r\nLine 1\nLine 2 & more?',
    );
    expect(url.search).not.toMatch(/[ +]/);
  });

  it('escapes catalog text, links relatively and loads nothing from elsewhere', async () => {
    const html = await renderQuote([{ sku: 'X-1"><b', title: HOSTILE }]);
    expect(html).not.toContain('<script>alert');
    expect(html).toContain('&lt;/option&gt;&lt;script&gt;alert(1)&lt;/script&gt; &quot;Q&quot; &amp; ünï');
    expect(html).toContain('value="X-1&quot;&gt;&lt;b"');
    expectSelfContained(html);
  });
});

// ---- quote-client.js in a fake DOM ----

interface FakeField {
  value: string;
  options?: { text: string }[];
  selectedIndex?: number;
}

interface FetchCall {
  url: string;
  init: { method: string; headers: Record<string, string>; body: string; signal: AbortSignal };
}

type FetchReply = (call: FetchCall) => Promise<{ ok: boolean; status: number; json: () => Promise<unknown> }>;

class FakeNode {
  textContent = '';
  href = '';
  style = { cssText: '' };
  focused = false;
  set innerHTML(_html: string) {
    throw new Error('innerHTML is not allowed');
  }
  focus(): void {
    this.focused = true;
  }
}

function quotePageRuntime(search: string, reply: FetchReply) {
  const kinds = Object.values(QUOTE_KINDS).map((text) => ({ text }));
  const elements: Record<string, FakeField> = {
    kind: { value: 'quote', options: kinds, selectedIndex: 0 },
    sku: { value: '' },
    quantity: { value: '' },
    name: { value: '' },
    email: { value: '' },
    phone: { value: '' },
    message: { value: '' },
  };
  let submit: ((event: { preventDefault: () => void }) => Promise<void>) | undefined;
  let resets = 0;
  const form = {
    action: ENDPOINT,
    elements,
    addEventListener: (type: string, listener: typeof submit) => {
      if (type === 'submit') submit = listener;
    },
    reset: () => {
      resets++;
      for (const field of Object.values(elements)) field.value = '';
      elements.kind!.value = 'quote';
      elements.kind!.selectedIndex = 0;
    },
  };
  const status = new FakeNode();
  const mailto = new FakeNode();
  mailto.href = quoteMailto(EMAIL);
  mailto.textContent = EMAIL;
  const byId: Record<string, unknown> = { 'quote-form': form, 'quote-status': status, 'quote-mailto': mailto };
  const calls: FetchCall[] = [];
  const timers: { ms: number; run: () => void; cleared: boolean }[] = [];
  const context = {
    document: { getElementById: (id: string) => byId[id] ?? null },
    location: { search },
    URLSearchParams,
    AbortController,
    crypto: globalThis.crypto,
    fetch: (url: string, init: FetchCall['init']) => {
      const call = { url, init };
      calls.push(call);
      return reply(call);
    },
    setTimeout: (run: () => void, ms: number) => timers.push({ ms, run, cleared: false }) - 1,
    clearTimeout: (id: number) => {
      const timer = timers[id];
      if (timer) timer.cleared = true;
    },
  };
  new Script(readFileSync(new URL('../../../static-fallback/mirror/client/quote-client.js', import.meta.url), 'utf8')).runInNewContext(
    context,
  );
  const fill = (values: Partial<Record<keyof QuoteMailFields | 'email', string>>) => {
    for (const [name, value] of Object.entries(values)) elements[name]!.value = value ?? '';
    const kind = Object.keys(QUOTE_KINDS).indexOf(elements.kind!.value);
    elements.kind!.selectedIndex = kind;
  };
  const send = async () => {
    let prevented = false;
    if (!submit) throw new Error('quote-client.js did not listen for submit');
    const done = submit({ preventDefault: () => (prevented = true) });
    expect(prevented).toBe(true);
    await done;
  };
  return { elements, status, mailto, calls, timers, fill, send, resets: () => resets };
}

const json = (status: number, body: unknown) => async () => ({ ok: status >= 200 && status < 300, status, json: async () => body });
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('quote-client.js (fake DOM)', () => {
  it('prefills sku from ?sku= (without overwriting what is there)', () => {
    const page = quotePageRuntime('?sku=BEA-ESS-ESS-001', json(201, {}));
    expect(page.elements.sku!.value).toBe('BEA-ESS-ESS-001');
  });

  it('posts the lead as JSON with an idempotency key and shows the receipt', async () => {
    const page = quotePageRuntime('?sku=BEA-ESS-ESS-001', json(201, { id: 'rcpt-42<b>', kind: 'lead' }));
    page.fill({ kind: 'order', quantity: '3', name: ' Zoë ', email: 'zoe@example.com', phone: '+33 1 23', message: 'Ring first' });
    await page.send();
    expect(page.calls).toHaveLength(1);
    const [{ url, init }] = page.calls as [FetchCall];
    expect(url).toBe(ENDPOINT);
    expect(init.method).toBe('POST');
    expect(init.headers['content-type']).toBe('application/json');
    expect(init.headers['idempotency-key']).toMatch(UUID_V4);
    expect(init.body).toBe(
      JSON.stringify({
        kind: 'order',
        sku: 'BEA-ESS-ESS-001',
        quantity: 3,
        contact: { name: 'Zoë', email: 'zoe@example.com', phone: '+33 1 23' },
        message: 'Ring first',
      }),
    );
    expect(page.status.textContent).toBe('Thank you, your request was sent. Receipt: rcpt-42<b>.');
    expect(page.resets()).toBe(1);
    expect(page.timers[0]).toMatchObject({ ms: 10_000, cleared: true });
    expect(page.mailto.href).toBe(quoteMailto(EMAIL));
  });

  it('leaves optional fields out of the body and copes with a 2xx without JSON', async () => {
    const page = quotePageRuntime('', async () => ({ ok: true, status: 202, json: () => Promise.reject(new SyntaxError('no json')) }));
    page.fill({ name: 'Al', email: 'al@example.com', quantity: '0' });
    await page.send();
    expect(JSON.parse(page.calls[0]!.init.body)).toEqual({ kind: 'quote', contact: { name: 'Al', email: 'al@example.com' } });
    expect(page.status.textContent).toBe('Thank you, your request was sent.');
  });

  it('on a non-2xx answer, shows the error and makes the filled-in mailto: the primary action', async () => {
    const page = quotePageRuntime('', json(503, { title: 'down' }));
    const fields: QuoteMailFields = {
      kind: 'callback',
      sku: 'FUR-KNO-KNO-014',
      quantity: '2',
      name: 'Zoë & Co',
      phone: '+1 555',
      message: 'Call\nme <b>',
    };
    page.fill({ ...fields, email: 'zoe@example.com' });
    await page.send();
    expect(page.status.textContent).toBe('Sending failed (HTTP 503). Please email it instead (the link below is filled in).');
    expect(page.mailto.href).toBe(quoteMailto(EMAIL, fields));
    expect(page.mailto.style.cssText).toContain('font-weight:700');
    expect(page.mailto.focused).toBe(true);
    expect(page.resets()).toBe(0);
  });

  it('an empty form falls back to exactly the mailto: the page renders', async () => {
    const page = quotePageRuntime('', () => Promise.reject(new TypeError('Failed to fetch')));
    await page.send();
    expect(page.status.textContent).toBe('Network error. Please email it instead (the link below is filled in).');
    expect(page.mailto.href).toBe(quoteMailto(EMAIL));
  });

  it('times out after 10 s by aborting the request', async () => {
    const page = quotePageRuntime(
      '',
      (call) =>
        new Promise((_resolve, reject) =>
          call.init.signal.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))),
        ),
    );
    page.fill({ name: 'Al', email: 'al@example.com' });
    const sending = page.send();
    expect(page.status.textContent).toBe('Sending…');
    expect(page.timers[0]!.ms).toBe(10_000);
    page.timers[0]!.run();
    await sending;
    expect(page.status.textContent).toBe('Sending timed out. Please email it instead (the link below is filled in).');
    expect(page.mailto.focused).toBe(true);
  });

  it('keeps one idempotency key per form fill: a resend reuses it, a changed form or a new fill gets a new one', async () => {
    const replies = [json(503, {}), json(503, {}), json(503, {}), json(201, { id: 'r1' }), json(201, { id: 'r2' })];
    const page = quotePageRuntime('', () => replies.shift()!());
    page.fill({ name: 'Al', email: 'al@example.com' });
    await page.send();
    await page.send();
    page.fill({ message: 'more detail' });
    await page.send();
    await page.send();
    page.fill({ name: 'Al', email: 'al@example.com', message: 'more detail' });
    await page.send();
    const keys = page.calls.map((c) => c.init.headers['idempotency-key']);
    expect(keys[1]).toBe(keys[0]);
    expect(keys[2]).not.toBe(keys[1]);
    expect(keys[3]).toBe(keys[2]);
    expect(keys[4]).not.toBe(keys[3]);
    expect(new Set(keys).size).toBe(3);
  });

  it('ignores a second submit while one is in flight', async () => {
    let release: (() => void) | undefined;
    const page = quotePageRuntime(
      '',
      () => new Promise((resolve) => (release = () => resolve({ ok: true, status: 201, json: async () => ({}) }))),
    );
    page.fill({ name: 'Al', email: 'al@example.com' });
    const first = page.send();
    await page.send();
    expect(page.calls).toHaveLength(1);
    release?.();
    await first;
  });
});
