/**
 * The mirror's offline search: index shape, determinism, size, safe embedding,
 * the matching algorithm (table-driven, TS wrapper and browser file side by
 * side) and the browser file's DOM wiring against a tiny fake document.
 */
import { readFileSync } from 'node:fs';
import { Script } from 'node:vm';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCatalogFile } from '../../../static-fallback/importers/load-catalog.ts';
import {
  buildSearchIndex,
  type SearchEntry,
  type SearchIndex,
  searchIndexScript,
  searchProducts,
  searchTokens,
} from '../../../static-fallback/mirror/search-index.ts';
import { relativeHref } from '../../../static-fallback/mirror/site-paths.ts';
import { type Product, type ProductInput, ProductSchema } from '../../../workers/shared/catalog/product-schema.ts';
import { FIXTURE_CATALOG } from '../../support/fixtures.ts';

const CLIENT_FILE = new URL('../../../static-fallback/mirror/client/search-client.js', import.meta.url);
const href = (to: string) => relativeHref('search/index.html', to);

type ClientSearch = (index: SearchIndex, query: string, limit?: number) => SearchEntry[];

/** The browser file, evaluated on its own (not through search-index.ts), as a page without DOM would. */
function loadClientSearch(): ClientSearch {
  const sandbox: { vitrineSearch?: ClientSearch } = {};
  new Script(readFileSync(CLIENT_FILE, 'utf8')).runInNewContext(sandbox);
  const search = sandbox.vitrineSearch;
  if (!search) throw new Error('search-client.js defines no vitrineSearch');
  return (index, query, limit) => Array.from(search(index, query, limit));
}

function product(input: Partial<ProductInput> & Pick<ProductInput, 'sku' | 'slug' | 'title'>): Product {
  return ProductSchema.parse({
    category: 'test-things',
    categoryName: 'Test Things',
    price: 12.5,
    currency: 'EUR',
    availability: 'in_stock',
    ...input,
  });
}

const EXTRA: Product[] = [
  product({ sku: 'TST-CAF-001', slug: 'cafe-creme-cup', title: 'Café Crème Cup', brand: 'Brûlerie Ümlaut', tags: ['porcelaine'] }),
  product({ sku: 'TST-GNO-002', slug: 'zebra-gnomon', title: 'Zebra Gnomon' }),
  product({
    sku: 'TST-GNO-003',
    slug: 'aardvark-gnomonics',
    title: 'Aardvark Gnomonics',
    images: [{ url: 'https://img.example.com/a.webp' }],
  }),
];

let fixture: Product[];
let index: SearchIndex;
let clientSearch: ClientSearch;

beforeAll(async () => {
  fixture = (await loadCatalogFile(FIXTURE_CATALOG)).products;
  index = buildSearchIndex([...fixture, ...EXTRA], { href });
  clientSearch = loadClientSearch();
});

describe('buildSearchIndex', () => {
  it('holds one compact entry per product, sorted by title, with hrefs from options.href', () => {
    expect(index.v).toBe(1);
    expect(index.items).toHaveLength(fixture.length + EXTRA.length);
    const titles = index.items.map((item) => searchTokens(item.t).join(' '));
    expect(titles).toEqual([...titles].sort());
    const mascara = index.items.find((item) => item.t === 'Essence Mascara Lash Princess');
    expect(mascara).toEqual({
      t: 'Essence Mascara Lash Princess',
      b: 'Essence',
      c: 'Beauty',
      p: '$9.99',
      h: '../p/essence-mascara-lash-princess/index.html',
      i: 'https://cdn.dummyjson.com/product-images/beauty/essence-mascara-lash-princess/1.webp',
    });
    const zebra = index.items.find((item) => item.t === 'Zebra Gnomon');
    expect(zebra).toEqual({ t: 'Zebra Gnomon', c: 'Test Things', p: '€12.50', h: '../p/zebra-gnomon/index.html' });
    expect(Object.keys(zebra ?? {})).not.toContain('b');
  });

  it('has sorted unique tokens with ascending postings that cover title, brand, category, tags and SKU', () => {
    expect(index.tokens).toEqual([...new Set(index.tokens)].sort());
    expect(index.postings).toHaveLength(index.tokens.length);
    for (const list of index.postings) expect(list).toEqual([...list].sort((a, b) => a - b));
    const cup = index.items.findIndex((item) => item.t === 'Café Crème Cup');
    const tokensOf = (i: number) => index.tokens.filter((_, k) => index.postings[k]?.includes(i));
    expect(tokensOf(cup)).toEqual(['001', 'brulerie', 'caf', 'cafe', 'creme', 'cup', 'porcelaine', 'test', 'things', 'tst', 'umlaut']);
  });

  it('normalizes like the browser: lowercase, NFKD without diacritics, letters and digits', () => {
    expect(searchTokens("Crème BRÛLÉE, l'œuf — ﬁne 2×3 Ünïcødé")).toEqual(['creme', 'brulee', 'l', 'œuf', 'fine', '2', '3', 'unicøde']);
    expect(searchTokens('  !!  ')).toEqual([]);
  });

  it('is deterministic: the same products, in any order, give the same script bytes', () => {
    const shuffled = [...fixture].reverse();
    shuffled.push(shuffled.shift()!);
    const a = searchIndexScript(buildSearchIndex(fixture, { href }));
    expect(searchIndexScript(buildSearchIndex(fixture, { href }))).toBe(a);
    expect(searchIndexScript(buildSearchIndex(shuffled, { href }))).toBe(a);
  });

  it('stays well under the size budget for the 194-product fixture', () => {
    const script = searchIndexScript(buildSearchIndex(fixture, { href }));
    const bytes = Buffer.byteLength(script);
    const gzipped = gzipSync(script).length;
    console.log(`search index for ${fixture.length} products: ${bytes} bytes, ${gzipped} bytes gzipped`);
    expect(bytes).toBeLessThan(100_000);
  });
});

describe('searchIndexScript', () => {
  const hostileTitle = 'Evil </script><script>alert(1)</script> <!-- x \u2028 line \u2029 para';

  it('cannot break out of a script element and round-trips through the browser global', () => {
    const hostile = buildSearchIndex([product({ sku: 'EVIL-1', slug: 'evil', title: hostileTitle, tags: ['</SCRIPT>'] }), ...EXTRA], {
      href,
    });
    const script = searchIndexScript(hostile);
    expect(script.startsWith('window.__VITRINE_SEARCH__=')).toBe(true);
    expect(script).not.toMatch(/<\/script/i);
    expect(script).not.toContain('<!--');
    expect(script).not.toMatch(/[<\u2028\u2029]/);
    expect(`<script>${script}</script>`.match(/<\/script/gi)).toHaveLength(1);

    const context: { window: { __VITRINE_SEARCH__?: SearchIndex } } = { window: {} };
    new Script(script).runInNewContext(context);
    const loaded = context.window.__VITRINE_SEARCH__;
    expect(JSON.parse(JSON.stringify(loaded))).toEqual(hostile);
    expect(loaded?.items.some((item) => item.t === hostileTitle)).toBe(true);
    expect(clientSearch(loaded!, 'evil script').map((item) => item.t)).toEqual([hostileTitle]);
  });
});

const BEAUTY = ['Essence Mascara Lash Princess', 'Eyeshadow Palette with Mirror', 'Powder Canister', 'Red Lipstick', 'Red Nail Polish'];

/** [what, query, limit (undefined = default 50), expected titles, or a count]. */
const CASES: [string, string, number | undefined, string[] | number][] = [
  ['single word', 'lipstick', undefined, ['Red Lipstick']],
  ['two words, both must match', 'red nail', undefined, ['Red Nail Polish']],
  ['prefix, any case', 'LIPST', undefined, ['Red Lipstick']],
  ['diacritics in the catalog', 'cafe', undefined, ['Café Crème Cup']],
  ['diacritics in the query', 'CAFÉ crème', undefined, ['Café Crème Cup']],
  ['brand with diacritics', 'brulerie', undefined, ['Café Crème Cup']],
  ['brand', 'chanel', undefined, ['Chanel Coco Noir Eau De']],
  ['SKU', 'BEA-ESS-ESS-001', undefined, ['Essence Mascara Lash Princess']],
  ['SKU, lowercase', 'bea-ess-ess-001', undefined, ['Essence Mascara Lash Princess']],
  ['SKU prefix', 'tst-gno', undefined, ['Aardvark Gnomonics', 'Zebra Gnomon']],
  ['category name and tag', 'beauty', undefined, BEAUTY],
  ['exact token before prefix, then title order', 'gnomon', undefined, ['Zebra Gnomon', 'Aardvark Gnomonics']],
  ['no match', 'zzzz', undefined, []],
  ['one word matches, the other does not', 'lipstick zzzz', undefined, []],
  ['empty query', '', undefined, []],
  ['punctuation only', '  !! — ', undefined, []],
  ['limit', 'apple', 3, ['Apple', 'Apple Airpods', 'Apple AirPods Max Silver']],
  ['limit 0', 'apple', 0, []],
  ['default limit is 50', 'e', undefined, 50],
  ['a larger limit', 'e', 100, 55],
];

describe('searchProducts and the browser client agree', () => {
  it.each(CASES)('%s: %j', (_what, query, limit, expected) => {
    const ts = searchProducts(index, query, limit);
    const browser = clientSearch(index, query, limit);
    expect(browser).toEqual(ts);
    if (typeof expected === 'number') expect(ts).toHaveLength(expected);
    else expect(ts.map((item) => item.t)).toEqual(expected);
  });

  it('agree on every 1-3 letter prefix of every token, alone and in pairs', () => {
    const queries = new Set<string>();
    for (const token of index.tokens) for (let n = 1; n <= 3; n++) queries.add(token.slice(0, n));
    const list = [...queries];
    for (const [k, q] of list.entries()) queries.add(`${q} ${list[(k * 7) % list.length]}`);
    for (const q of queries) expect(clientSearch(index, q, 20), q).toEqual(searchProducts(index, q, 20));
    expect(queries.size).toBeGreaterThan(500);
  });

  it('finds every product by its title and ranks it first by its SKU', () => {
    for (const p of [...fixture, ...EXTRA]) {
      expect(
        searchProducts(index, p.title, 500).map((item) => item.h),
        p.title,
      ).toContain(href(`/p/${p.slug}`));
      expect(searchProducts(index, p.sku, 1)[0]?.h, p.sku).toBe(href(`/p/${p.slug}`));
    }
  });
});

/** Just enough DOM for search-client.js; `innerHTML` throws, so catalog text can only go in as text. */
class FakeElement {
  children: FakeElement[] = [];
  href = '';
  src = '';
  alt = '';
  value = '';
  private text = '';
  private listeners = new Map<string, () => void>();
  constructor(readonly tagName: string) {}
  get textContent(): string {
    return this.text + this.children.map((c) => c.textContent).join('');
  }
  set textContent(value: string) {
    this.text = String(value);
    this.children = [];
  }
  set innerHTML(_html: string) {
    throw new Error('innerHTML is not allowed');
  }
  appendChild(child: FakeElement): FakeElement {
    this.children.push(child);
    return child;
  }
  addEventListener(type: string, listener: () => void): void {
    this.listeners.set(type, listener);
  }
  dispatch(type: string): void {
    this.listeners.get(type)?.();
  }
}

function runSearchPage(search: string, data: SearchIndex | undefined) {
  const elements = { 'search-q': new FakeElement('input'), 'search-results': new FakeElement('ol'), 'search-status': new FakeElement('p') };
  const document = {
    getElementById: (id: string) => elements[id as keyof typeof elements] ?? null,
    createElement: (tag: string) => new FakeElement(tag),
  };
  const context = { window: { __VITRINE_SEARCH__: data }, document, location: { search }, URLSearchParams };
  new Script(readFileSync(CLIENT_FILE, 'utf8')).runInNewContext(context);
  return { input: elements['search-q'], list: elements['search-results'], status: elements['search-status'] };
}

describe('search-client.js on a page (fake DOM)', () => {
  it('reads ?q=, fills the input and lists the results as links, text only', () => {
    const { input, list, status } = runSearchPage('?q=caf%C3%A9', index);
    expect(input.value).toBe('café');
    expect(status.textContent).toBe('1 result.');
    expect(list.children).toHaveLength(1);
    const link = list.children[0]!.children[0]!;
    expect(link.tagName).toBe('a');
    expect(link.href).toBe('../p/cafe-creme-cup/index.html');
    expect(list.children[0]!.textContent).toBe('Café Crème Cup Brûlerie Ümlaut · Test Things · €12.50');
  });

  it('searches as you type, shows a count, "No results" and at most 50 links', () => {
    const { input, list, status } = runSearchPage('', index);
    expect(input.value).toBe('');
    expect(status.textContent).toBe('');
    input.value = 'gnomon';
    input.dispatch('input');
    expect(list.children.map((li) => li.children[0]!.href)).toEqual(['../p/zebra-gnomon/index.html', '../p/aardvark-gnomonics/index.html']);
    expect(list.children[1]!.children[0]!.children[0]).toMatchObject({ tagName: 'img', src: 'https://img.example.com/a.webp', alt: '' });
    input.value = 'e';
    input.dispatch('input');
    expect(status.textContent).toBe('55 results, showing the first 50.');
    expect(list.children).toHaveLength(50);
    input.value = 'zzzz <b>';
    input.dispatch('input');
    expect(status.textContent).toBe('No results for “zzzz <b>”.');
    expect(list.children).toHaveLength(0);
  });

  it('renders hostile titles as text and says so when the index did not load', () => {
    const hostile = buildSearchIndex([product({ sku: 'EVIL-1', slug: 'evil', title: '<img src=x onerror=alert(1)>' })], { href });
    const { list } = runSearchPage('?q=img', hostile);
    expect(list.children[0]!.children[0]!.textContent).toBe('<img src=x onerror=alert(1)>');
    const { status } = runSearchPage('?q=gnomon', undefined);
    expect(status.textContent).toBe('The search index could not be loaded.');
  });
});
