import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonArrayElements } from '../../../static-fallback/importers/json-array-elements.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vitrine-json-array-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function elements(text: string, chunkChars?: number): Promise<unknown[]> {
  const file = join(dir, `a-${Math.random().toString(36).slice(2)}.json`);
  await writeFile(file, text);
  const out: unknown[] = [];
  for await (const { key, value } of jsonArrayElements(file, chunkChars ? { chunkChars } : {})) {
    expect(key).toBe(out.length);
    out.push(value);
  }
  return out;
}

const tricky = [
  { title: 'Brackets ] [ and braces } { in a string', tags: ['a,b', '"quoted"'] },
  { title: 'Escapes \\" \\\\ and \\u00e9', nested: { deep: [[1, 2], { x: '}' }] } },
  'a bare string, with a comma',
  42,
  null,
  true,
  [],
  { emoji: '🪑 chaise — café', empty: {} },
];

describe('jsonArrayElements', () => {
  it('yields every element exactly as JSON.parse reads the whole array', async () => {
    const text = JSON.stringify(tricky, null, 2);
    expect(await elements(text)).toEqual(JSON.parse(text));
  });

  it('gives the same elements whatever the chunk size (boundaries inside strings, escapes and emoji)', async () => {
    const text = `\uFEFF ${JSON.stringify(tricky)}\n`;
    for (const chunkChars of [1, 2, 3, 7, 64]) expect(await elements(text, chunkChars), `chunk ${chunkChars}`).toEqual(tricky);
  });

  it('reads an empty array', async () => {
    expect(await elements(' [ ] ')).toEqual([]);
  });

  it.each([
    ['an object, not an array', '{"products": []}', /expected a JSON array/],
    ['a truncated file', '[{"sku":"A"},{"sku":"B"', /products\[1\]: unexpected end of JSON/],
    ['a broken element', '[{"sku":"A"},{"sku":B}]', /^products\[1\]: /],
    ['a trailing comma', '[{"sku":"A"},]', /products\[1\]: missing value before "\]"/],
    ['an empty element', '[1,,2]', /products\[1\]: missing value before ","/],
    ['text after the array', '[1] x', /unexpected text after the array/],
  ])('rejects %s with the element named', async (_name, text, message) => {
    await expect(elements(text)).rejects.toThrow(message);
  });
});
