/**
 * When a catalog's data is from, reproducibly: an explicit time, else the
 * newest product `updatedAt`, else SOURCE_DATE_EPOCH (reproducible-builds
 * convention), else now. The same catalog then gives the same snapshot version
 * and the same mirror bytes, and prices say "as of" the same moment everywhere.
 *
 * @example
 * buildSnapshot(products, { source: 'pim', generatedAt: catalogTimestamp(products) });
 */
export function catalogTimestamp(products: readonly { updatedAt?: string }[], explicit?: string): string {
  if (explicit) return new Date(explicit).toISOString();
  const newest = products.reduce<string | undefined>(
    (max, p) => (p.updatedAt && (!max || p.updatedAt > max) ? p.updatedAt : max),
    undefined,
  );
  if (newest) return new Date(newest).toISOString();
  const epoch = process.env.SOURCE_DATE_EPOCH;
  if (epoch && /^\d+$/.test(epoch)) return new Date(Number(epoch) * 1000).toISOString();
  return new Date().toISOString();
}
