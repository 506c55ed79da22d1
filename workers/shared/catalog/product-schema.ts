/**
 * Vitrine's catalog contract: one normalized product shape, whatever the source
 * (the merchant's origin, a PIM snapshot in KV, a pre-rendered mirror page).
 *
 * Runtime-agnostic (workerd and Node): zod and Web Standards only.
 *
 * @example
 * const product = ProductSchema.parse(await res.json());
 */
import { z } from 'zod';
import { MODEL_ID_PATTERN } from '../assets/asset-names.ts';

/** Stock keeping unit: letters, digits, `-`, `_`, `.`; what merchants actually use. */
export const SKU_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
/** URL slug: lowercase words joined by single dashes. */
export const SLUG_RE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
/** 3D model id, the `<id>` of `/models/<id>/manifest.json` (one pattern with the asset worker's). */
export const MODEL_ID_RE = MODEL_ID_PATTERN;
/** ISO 4217 currency code. */
export const CURRENCY_RE = /^[A-Z]{3}$/;

export const MAX_TITLE_CHARS = 300;
export const MAX_DESCRIPTION_CHARS = 20_000;
export const SNAPSHOT_SCHEMA_VERSION = 1;

export const AVAILABILITY = ['in_stock', 'low_stock', 'out_of_stock', 'preorder', 'discontinued'] as const;
export const AvailabilitySchema = z.enum(AVAILABILITY);
export type Availability = z.infer<typeof AvailabilitySchema>;

const money = z.number().finite().nonnegative();

export const ImageSchema = z.object({
  url: z.url({ protocol: /^https?$/ }),
  alt: z.string().max(MAX_TITLE_CHARS).optional(),
});

export const DimensionsSchema = z.object({
  width: z.number().finite().nonnegative(),
  height: z.number().finite().nonnegative(),
  depth: z.number().finite().nonnegative(),
  unit: z.enum(['cm', 'mm', 'm', 'in']).default('cm'),
});

export const WeightSchema = z.object({
  value: z.number().finite().nonnegative(),
  unit: z.enum(['g', 'kg', 'lb', 'oz']),
});

export const VariantSchema = z.object({
  sku: z.string().regex(SKU_RE, 'letters, digits, ".", "_" or "-", at most 64'),
  title: z.string().min(1).max(MAX_TITLE_CHARS),
  /** Option name → value, e.g. `{ Size: "42" }`. */
  options: z.record(z.string().min(1).max(100), z.string().max(200)).default({}),
  price: money,
  compareAtPrice: money.optional(),
  stock: z.number().int().nonnegative().optional(),
  availability: AvailabilitySchema,
});

export const ProductSchema = z.object({
  sku: z.string().regex(SKU_RE, 'letters, digits, ".", "_" or "-", at most 64'),
  slug: z.string().max(120).regex(SLUG_RE, 'lowercase words joined by "-"'),
  title: z.string().trim().min(1).max(MAX_TITLE_CHARS),
  description: z.string().max(MAX_DESCRIPTION_CHARS).default(''),
  /** Category slug (`mens-shoes`); the display name is `categoryName`. */
  category: z.string().max(120).regex(SLUG_RE, 'lowercase words joined by "-"'),
  categoryName: z.string().min(1).max(MAX_TITLE_CHARS),
  brand: z.string().max(MAX_TITLE_CHARS).optional(),
  price: money,
  currency: z.string().regex(CURRENCY_RE, 'ISO 4217 code such as "USD"'),
  compareAtPrice: money.optional(),
  availability: AvailabilitySchema,
  stock: z.number().int().nonnegative().optional(),
  images: z.array(ImageSchema).max(50).default([]),
  dimensions: DimensionsSchema.optional(),
  weight: WeightSchema.optional(),
  tags: z.array(z.string().max(100)).max(50).default([]),
  variants: z.array(VariantSchema).max(250).default([]),
  /** Id of the product's 3D model, when it has one. */
  modelId: z.string().regex(MODEL_ID_RE).optional(),
  updatedAt: z.iso.datetime({ offset: true }).optional(),
});
export type Product = z.infer<typeof ProductSchema>;
/** What importers produce before zod fills defaults. */
export type ProductInput = z.input<typeof ProductSchema>;

/** A whole PIM export: what `/pim/export` answers and what is stored per snapshot version. */
export const SnapshotSchema = z
  .object({
    schemaVersion: z.literal(SNAPSHOT_SCHEMA_VERSION),
    generatedAt: z.iso.datetime({ offset: true }),
    source: z.string().min(1).max(200),
    products: z.array(ProductSchema).min(1),
  })
  .superRefine((snapshot, ctx) => {
    const skus = new Set<string>();
    const slugs = new Set<string>();
    snapshot.products.forEach((p, i) => {
      if (skus.has(p.sku)) ctx.addIssue({ code: 'custom', path: ['products', i, 'sku'], message: `duplicate sku "${p.sku}"` });
      if (slugs.has(p.slug)) ctx.addIssue({ code: 'custom', path: ['products', i, 'slug'], message: `duplicate slug "${p.slug}"` });
      skus.add(p.sku);
      slugs.add(p.slug);
    });
  });
export type Snapshot = z.infer<typeof SnapshotSchema>;

/** The listing shape of `/api/products`: enough for a grid, small enough to page fast. */
export const ProductSummarySchema = ProductSchema.pick({
  sku: true,
  slug: true,
  title: true,
  category: true,
  categoryName: true,
  brand: true,
  price: true,
  currency: true,
  compareAtPrice: true,
  availability: true,
  stock: true,
  modelId: true,
}).extend({ image: z.string().optional() });
export type ProductSummary = z.infer<typeof ProductSummarySchema>;

/** `GET /api/products` answer, from the origin or the snapshot alike. */
export const ProductListSchema = z.object({
  items: z.array(ProductSummarySchema),
  page: z.number().int().min(1),
  pageSize: z.number().int().min(1),
  total: z.number().int().min(0),
  totalPages: z.number().int().min(0),
});
export type ProductList = z.infer<typeof ProductListSchema>;

/** What a summary is made from: a full product, or any lighter form that keeps these fields. */
export type SummarySource = Pick<
  Product,
  | 'sku'
  | 'slug'
  | 'title'
  | 'category'
  | 'categoryName'
  | 'brand'
  | 'price'
  | 'currency'
  | 'compareAtPrice'
  | 'availability'
  | 'stock'
  | 'modelId'
  | 'images'
>;

export function toSummary(p: SummarySource): ProductSummary {
  return {
    sku: p.sku,
    slug: p.slug,
    title: p.title,
    category: p.category,
    categoryName: p.categoryName,
    brand: p.brand,
    price: p.price,
    currency: p.currency,
    compareAtPrice: p.compareAtPrice,
    availability: p.availability,
    stock: p.stock,
    modelId: p.modelId,
    image: p.images[0]?.url,
  };
}

/** Lowercase ASCII slug of any text; `""` when nothing sluggable is left. */
export function slugify(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 120)
    .replace(/-+$/, '');
}

/** Stock level → availability, the rule every importer shares. */
export function availabilityFromStock(stock: number | undefined, lowStockThreshold = 5): Availability {
  if (stock === undefined) return 'in_stock';
  if (stock <= 0) return 'out_of_stock';
  return stock <= lowStockThreshold ? 'low_stock' : 'in_stock';
}
