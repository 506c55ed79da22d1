/**
 * A synthetic catalog of N products for benchmarks, made from the fixture
 * products (cycled, with unique sku, slug, title and price), written as
 * DummyJSON-shaped JSON. Deterministic for the same N.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { FIXTURE_CATALOG } from '../support/fixtures.ts';

export async function generateCatalog(count: number, file: string): Promise<void> {
  const base = JSON.parse(await readFile(FIXTURE_CATALOG, 'utf8')) as Record<string, unknown>[];
  const out: Record<string, unknown>[] = [];
  for (let i = 0; i < count; i++) {
    const p = base[i % base.length]!;
    const n = String(i).padStart(6, '0');
    out.push({
      ...p,
      id: i + 1,
      sku: `GEN-${n}`,
      title: `${p.title as string} ${n}`,
      price: Math.round(((p.price as number) + (i % 97)) * 100) / 100,
      reviews: [],
    });
  }
  await writeFile(file, JSON.stringify(out));
}
