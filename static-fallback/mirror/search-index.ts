/**
 * The mirror's offline search: a compact index written as a plain script
 * (`window.__VITRINE_SEARCH__ = {...}`) because pages opened from file:// may
 * not fetch() local JSON, plus the matching algorithm.
 *
 * Tokenizing and matching are written once, in `client/search-client.js` (the
 * browser runs it as is); this module evaluates that same file in `node:vm`,
 * so the index is built with exactly the tokenizer the browser searches with
 * and `searchProducts` answers exactly what the page shows.
 *
 * @example
 * const index = buildSearchIndex(products, { href: (to) => relativeHref('search/index.html', to) });
 * await writeFile('assets/search-index.js', searchIndexScriptBytes(index));
 * searchProducts(index, 'red lipstick'); // [{ t: 'Red Lipstick', ... }]
 */
import { Script } from 'node:vm';
import type { Product } from '../../workers/shared/catalog/product-schema.ts';
import { formatPrice, paths } from '../../workers/shared/templates/page-context.ts';
import { CLIENT_SCRIPTS } from './client-scripts.ts';

/** One product as search results show it; short keys keep the index small. */
export interface SearchEntry {
  /** Title. */
  t: string;
  /** Brand, when the product has one. */
  b?: string;
  /** Category display name. */
  c: string;
  /** Formatted price (`$9.99`). */
  p: string;
  /** Href of the product page, from `options.href('/p/<slug>')`. */
  h: string;
  /** First image URL, when the product has one. */
  i?: string;
}

/**
 * The whole index. `items` are sorted by title, so an item's position is its
 * title order; `tokens` are sorted (UTF-16 code units, what `<` compares) and
 * `postings[k]` lists, ascending, the items that have `tokens[k]`.
 */
export interface SearchIndex {
  v: 1;
  items: SearchEntry[];
  tokens: string[];
  postings: number[][];
}

/** What a build of the search index needs besides the products. */
export interface SearchIndexOptions {
  /** Turns a site path (`/p/<slug>`) into the href the results link to. */
  href: (sitePath: string) => string;
}

interface SearchAlgorithm {
  vitrineTokens: (text: string) => string[];
  vitrineSearch: (index: SearchIndex, query: string, limit?: number) => SearchEntry[];
}

let algorithm: SearchAlgorithm | undefined;

/** The functions of `client/search-client.js`, evaluated once, in a context without `document`. */
function searchAlgorithm(): SearchAlgorithm {
  if (algorithm) return algorithm;
  const sandbox: Partial<SearchAlgorithm> = {};
  new Script(CLIENT_SCRIPTS.search.source(), { filename: 'search-client.js' }).runInNewContext(sandbox);
  const { vitrineTokens, vitrineSearch } = sandbox;
  if (typeof vitrineTokens !== 'function' || typeof vitrineSearch !== 'function') {
    throw new Error('search-client.js must define vitrineTokens() and vitrineSearch()');
  }
  algorithm = { vitrineTokens, vitrineSearch };
  return algorithm;
}

/** The normalized words of a text: lowercase, NFKD with diacritics stripped, letters and digits (`Café-Noir` → `cafe`, `noir`). */
export function searchTokens(text: string): string[] {
  return Array.from(searchAlgorithm().vitrineTokens(text));
}

const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Builds the index of a catalog. Deterministic: the same products (in any
 * order) give the same index, so the same script bytes.
 */
export function buildSearchIndex(
  products: readonly Pick<Product, 'sku' | 'slug' | 'title' | 'brand' | 'categoryName' | 'tags' | 'price' | 'currency' | 'images'>[],
  options: SearchIndexOptions,
): SearchIndex {
  const sorted = products
    .map((product) => ({ product, key: searchTokens(product.title).join(' ') }))
    .sort(
      (a, b) => byCodeUnits(a.key, b.key) || byCodeUnits(a.product.title, b.product.title) || byCodeUnits(a.product.slug, b.product.slug),
    )
    .map((entry) => entry.product);

  const postingsByToken = new Map<string, number[]>();
  const items = sorted.map((p, position) => {
    const words = new Set(searchTokens([p.title, p.brand ?? '', p.categoryName, ...p.tags, p.sku].join(' ')));
    for (const word of words) {
      const list = postingsByToken.get(word);
      if (list) list.push(position);
      else postingsByToken.set(word, [position]);
    }
    const image = p.images[0]?.url;
    const item: SearchEntry = {
      t: p.title,
      ...(p.brand ? { b: p.brand } : {}),
      c: p.categoryName,
      p: formatPrice(p.price, p.currency),
      h: options.href(paths.product(p)),
      ...(image ? { i: image } : {}),
    };
    return item;
  });
  const tokens = [...postingsByToken.keys()].sort(byCodeUnits);
  return { v: 1, items, tokens, postings: tokens.map((t) => postingsByToken.get(t) ?? []) };
}

/** `<`, U+2028 and U+2029 as `\uXXXX`: the JSON then cannot close a `<script>` element, open a comment, or end a line in old engines. */
function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<\u2028\u2029]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Items (and postings) per JSON piece: the script is assembled from bytes, never held as one 25 MB string. */
const PIECE = 2_000;

/**
 * The bytes of the index's script file: one statement assigning it to
 * `window.__VITRINE_SEARCH__`. Same bytes as stringifying the whole index,
 * built piece by piece (the index of 100,000 products is about 25 MB).
 */
export function searchIndexScriptBytes(index: SearchIndex): Buffer {
  const parts: Buffer[] = [Buffer.from(`window.__VITRINE_SEARCH__={"v":${index.v},"items":[`)];
  const list = (values: readonly unknown[]) => {
    for (let i = 0; i < values.length; i += PIECE) {
      const piece = values
        .slice(i, i + PIECE)
        .map(scriptSafeJson)
        .join(',');
      parts.push(Buffer.from(i === 0 ? piece : `,${piece}`));
    }
  };
  list(index.items);
  parts.push(Buffer.from(`],"tokens":${scriptSafeJson(index.tokens)},"postings":[`));
  list(index.postings);
  parts.push(Buffer.from(']};\n'));
  return Buffer.concat(parts);
}

/** The index's script as text (see searchIndexScriptBytes). */
export function searchIndexScript(index: SearchIndex): string {
  return searchIndexScriptBytes(index).toString('utf8');
}

/**
 * What the search page shows for a query (the browser runs the same code):
 * the items where every query word is a prefix of one of their tokens, most
 * exact-token matches first, then by title; at most `limit`.
 */
export function searchProducts(index: SearchIndex, query: string, limit = 50): SearchEntry[] {
  return Array.from(searchAlgorithm().vitrineSearch(index, query, limit));
}
