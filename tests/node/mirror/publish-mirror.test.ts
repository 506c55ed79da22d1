import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildMirror } from '../../../static-fallback/mirror/build-mirror.ts';
import { publishMirror, readMirrorPointer, rollbackMirror } from '../../../static-fallback/mirror/publish-mirror.ts';
import { mirrorKeys } from '../../../workers/shared/mirror/mirror-layout.ts';
import { FIXTURE_CATALOG } from '../../support/fixtures.ts';
import { MemoryStore, readPublished } from '../../support/memory-store.ts';

let work: string;
let v1: string;
let v2: string;

/** Two builds of a 30-product catalog; the second renames one product. */
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'vitrine-publish-'));
  const products = (JSON.parse(await readFile(FIXTURE_CATALOG, 'utf8')) as { title: string }[]).slice(0, 30);
  await writeFile(join(work, 'a.json'), JSON.stringify(products));
  products[0]!.title = 'Renamed Mascara';
  await writeFile(join(work, 'b.json'), JSON.stringify(products));
  v1 = join(work, 'v1');
  v2 = join(work, 'v2');
  await buildMirror({ catalog: join(work, 'a.json'), out: v1, pdf: false });
  await buildMirror({ catalog: join(work, 'b.json'), out: v2, pdf: false });
}, 60_000);

afterAll(() => rm(work, { recursive: true, force: true }));

const homeOf = async (store: MemoryStore) => (await readPublished(store, '/'))?.html ?? '';

describe('publishing a mirror', () => {
  it('writes every page and file under a new version, then flips the pointer', async () => {
    const store = new MemoryStore();
    const result = await publishMirror(store, v1);
    expect(result.published).toBe(true);
    expect(result.pages).toBeGreaterThan(30);
    expect(result.uploaded).toBeGreaterThan(0);
    const pointer = await readMirrorPointer(store.kv);
    expect(pointer.versions.map((v) => v.version)).toEqual([result.version]);
    expect((await readPublished(store, '/p/essence-mascara-lash-princess'))?.html).toMatch(/^<!doctype html>.*Essence Mascara.*<\/html>$/s);
    expect((await readPublished(store, '/c/beauty'))?.html).toMatch(/^<!doctype html>.*<\/html>$/s);
    expect((await readPublished(store, '/sitemap.xml'))?.file).toMatchObject({ type: 'application/xml; charset=utf-8' });
    // Packed: far fewer KV keys than pages.
    expect([...store.kvData.keys()].filter((k) => k.startsWith(mirrorKeys.prefix(result.version))).length).toBeLessThan(result.pages / 4);
  });

  it('an unchanged re-publish writes nothing', async () => {
    const store = new MemoryStore();
    await publishMirror(store, v1);
    const writes = store.writes;
    const again = await publishMirror(store, v1);
    expect(again.published).toBe(false);
    expect(store.writes).toBe(writes);
  });

  it('a changed site re-uses every file already uploaded', async () => {
    const store = new MemoryStore();
    const first = await publishMirror(store, v1, { now: () => new Date('2026-11-01T00:00:00Z') });
    const second = await publishMirror(store, v2, { now: () => new Date('2026-11-02T00:00:00Z') });
    expect(second.uploaded).toBeLessThan(first.uploaded);
    expect(second.reused).toBeGreaterThan(0);
    expect(await homeOf(store)).toContain('Renamed Mascara');
  });

  it('a publish that fails at any write before the flip leaves the old version served', async () => {
    const publishV1 = async () => {
      const store = new MemoryStore();
      await publishMirror(store, v1, { now: () => new Date('2026-11-01T00:00:00Z') });
      return store;
    };
    const probe = await publishV1();
    const start = probe.writes;
    await publishMirror(probe, v2, { now: () => new Date('2026-11-02T00:00:00Z') });
    const writes = probe.writes - start;
    expect(writes).toBeGreaterThan(2);
    for (let failAt = 1; failAt < writes; failAt++) {
      const store = await publishV1();
      const before = await readMirrorPointer(store.kv);
      store.failAfter = store.writes + failAt - 1;
      await expect(publishMirror(store, v2, { now: () => new Date('2026-11-02T00:00:00Z') }), `write ${failAt}`).rejects.toThrow(
        /injected failure/,
      );
      expect(await readMirrorPointer(store.kv)).toEqual(before);
      expect(await homeOf(store)).not.toContain('Renamed Mascara');
    }
  });

  it('keeps the last N versions and rolls back to the previous one', async () => {
    const store = new MemoryStore();
    const a = await publishMirror(store, v1, { keepVersions: 2, now: () => new Date('2026-11-01T00:00:00Z') });
    const b = await publishMirror(store, v2, { keepVersions: 2, now: () => new Date('2026-11-02T00:00:00Z') });
    expect((await readMirrorPointer(store.kv)).versions.map((v) => v.version)).toEqual([b.version, a.version]);
    expect(await homeOf(store)).toContain('Renamed Mascara');

    expect(await rollbackMirror(store.kv)).toEqual({ from: b.version, to: a.version });
    expect(await homeOf(store)).not.toContain('Renamed Mascara');
    await expect(rollbackMirror(store.kv)).rejects.toThrow(/nothing to roll back/);

    // The next publish clears the rolled-back version's keys.
    await publishMirror(store, v2, { keepVersions: 2, now: () => new Date('2026-11-03T00:00:00Z') });
    expect([...store.kvData.keys()].some((k) => k.startsWith(mirrorKeys.prefix(b.version)))).toBe(false);
  });

  it('refuses a folder without a manifest, naming it', async () => {
    await expect(publishMirror(new MemoryStore(), join(work, 'nope'))).rejects.toThrow(/nope.*manifest/);
  });

  it.each([
    ['a truncated manifest', (text: string) => text.slice(0, text.lastIndexOf('\n', text.length - 5)), /manifest\.json:\d+: .*ends before/],
    [
      'a bad entry',
      (text: string) => text.replace(/"sha256":"[0-9a-f]{64}"/, '"sha256":"nope"'),
      /manifest\.json:\d+: not a mirror manifest/,
    ],
    ['a pretty-printed manifest', (text: string) => JSON.stringify(JSON.parse(text), null, 2), /manifest\.json:1: not a mirror manifest/],
  ])('refuses %s, naming the file and line, and writes nothing', async (_name, damage, message) => {
    const dir = join(work, `damaged-${Math.random().toString(36).slice(2)}`);
    await buildMirror({ catalog: join(work, 'a.json'), out: dir, pdf: false });
    await writeFile(join(dir, 'manifest.json'), damage(await readFile(join(dir, 'manifest.json'), 'utf8')));
    const store = new MemoryStore();
    await expect(publishMirror(store, dir)).rejects.toThrow(message);
    expect(store.writes).toBe(0);
  });
});
