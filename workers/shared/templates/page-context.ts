import type { Product } from '../catalog/product-schema.ts';

/**
 * What every template needs besides its data. The edge renders with absolute
 * paths (`/p/<slug>`); the static mirror passes its own `link` for relative
 * file links, so one set of templates serves both.
 */
export interface PageContext {
  /** Configured canonical origin, e.g. `https://showroom.example.com` (never from Host). */
  canonicalOrigin: string;
  /** Turns a site path (`/`, `/c/beauty`, `/p/red-lipstick`) into the href this output uses. */
  link: (path: string) => string;
  /** When the catalog data was exported by the PIM (ISO 8601). */
  snapshotGeneratedAt: string;
  siteName: string;
  /** The static mirror: no commerce controls, a link to its quote page instead. */
  readOnly?: boolean;
  /** Pages link to what the mirror publishes beside them: spec sheets, comparison CSVs, search, quote page. */
  mirrorExtras?: boolean;
}

export const PAGE_CONTEXT_DEFAULTS: Pick<PageContext, 'link' | 'siteName'> = {
  link: (path) => path,
  siteName: 'Vitrine showroom',
};

export const paths = {
  home: () => '/',
  category: (slug: string, page = 1) => (page > 1 ? `/c/${slug}?page=${page}` : `/c/${slug}`),
  product: (p: Pick<Product, 'slug'>) => `/p/${p.slug}`,
  specSheet: (p: Pick<Product, 'slug'>) => `/p/${p.slug}/spec-sheet.pdf`,
  comparisonCsv: (categorySlug: string) => `/c/${categorySlug}/comparison.csv`,
  search: () => '/search',
  quote: (sku?: string) => (sku ? `/quote?sku=${encodeURIComponent(sku)}` : '/quote'),
  notFound: () => '/404',
};

const priceFormats = new Map<string, Intl.NumberFormat | null>();

/** Money as shoppers read it (`$1,234.50`); formatters are cached per currency (building one is costly). */
export function formatPrice(amount: number, currency: string): string {
  let format = priceFormats.get(currency);
  if (format === undefined) {
    try {
      format = new Intl.NumberFormat('en-US', { style: 'currency', currency });
    } catch {
      format = null;
    }
    priceFormats.set(currency, format);
  }
  return format ? format.format(amount) : `${amount.toFixed(2)} ${currency}`;
}

export const AVAILABILITY_LABEL: Record<Product['availability'], string> = {
  in_stock: 'In stock',
  low_stock: 'Low stock',
  out_of_stock: 'Out of stock',
  preorder: 'Pre-order',
  discontinued: 'Discontinued',
};
