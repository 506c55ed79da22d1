/**
 * The product viewer's bundle and its level plan: a small `viewer.js` entry
 * with no three.js in it, content-hashed chunks holding three.js and the
 * meshopt decoder, no URL of another host anywhere (self-hosted), an
 * unchanged rebuild that rewrites nothing; and which levels a device loads.
 */
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildViewer, VIEWER_CHUNK_RE, VIEWER_ENTRY } from '../../../assets-pipeline/viewer/build-viewer.ts';
import { levelPlan, textureBudget } from '../../../assets-pipeline/viewer/level-plan.ts';

/** Namespace names three.js passes to createElementNS: strings, never fetched. */
const XML_NAMESPACES = new Set(['http://www.w3.org/1999/xhtml', 'http://www.w3.org/2000/svg']);

let dir: string;
let files: Awaited<ReturnType<typeof buildViewer>>;
const read = (name: string) => readFile(join(dir, name), 'utf8');

beforeAll(async () => {
  dir = join(await mkdtemp(join(tmpdir(), 'vitrine-viewer-')), '_viewer');
  files = await buildViewer(dir);
}, 60_000);

afterAll(async () => {
  await rm(join(dir, '..'), { recursive: true, force: true });
});

describe('buildViewer', () => {
  it('writes viewer.js and content-hashed chunks, and lists exactly what it wrote', async () => {
    expect(files.map((f) => f.name)).toContain(VIEWER_ENTRY);
    const chunks = files.filter((f) => f.name !== VIEWER_ENTRY);
    expect(chunks.length).toBeGreaterThanOrEqual(1);
    for (const chunk of chunks) expect(chunk.name).toMatch(VIEWER_CHUNK_RE);
    expect((await readdir(dir)).sort()).toEqual(files.map((f) => f.name));
    for (const file of files) expect((await stat(join(dir, file.name))).size).toBe(file.bytes);
  });

  it('keeps three.js out of the entry: a page pays for it only when a model can be shown', async () => {
    const entry = await read(VIEWER_ENTRY);
    expect(gzipSync(entry).byteLength).toBeLessThan(2_000);
    expect(entry).not.toContain('WebGLRenderer');
    expect(entry).toMatch(/import\("\.\/chunk-[A-Z0-9]{8}\.js"\)/);
    const chunks = await Promise.all(files.filter((f) => f.name !== VIEWER_ENTRY).map((f) => read(f.name)));
    expect(chunks.some((code) => code.includes('WebGLRenderer') && code.includes('WebAssembly'))).toBe(true);
  });

  it('names no other host: nothing is fetched from a CDN at run time', async () => {
    for (const { name } of files) {
      const urls = (await read(name)).match(/\b(?:https?:)?\/\/[a-z0-9.-]+\.[a-z]{2,}[^"'`\s)]*/gi) ?? [];
      expect(
        urls.filter((url) => !XML_NAMESPACES.has(url)),
        name,
      ).toEqual([]);
    }
  });

  it('a rebuild gives the same files and drops what is not part of the bundle', async () => {
    await writeFile(join(dir, 'chunk-OLD00000.js'), 'export {};');
    expect(await buildViewer(dir)).toEqual(files);
    expect((await readdir(dir)).sort()).toEqual(files.map((f) => f.name));
  });
});

describe('levelPlan: the first-paint level first, then finer levels within the device budget', () => {
  const level = (textureSize: number) => ({ textureSize });
  const fourLevels = [level(2048), level(1024), level(512), level(256)];
  const cases: { name: string; device: Parameters<typeof levelPlan>[1]; plan: number[] }[] = [
    { name: 'a desktop figure (530 device px)', device: { devicePixels: 530 }, plan: [3, 2, 1, 0] },
    { name: 'a phone figure at 3× (1080 device px)', device: { devicePixels: 1080, deviceMemory: 4 }, plan: [3, 2, 1, 0] },
    { name: 'a small figure (300 device px)', device: { devicePixels: 300 }, plan: [3, 2, 1] },
    { name: 'a thumbnail (100 device px)', device: { devicePixels: 100 }, plan: [3] },
    { name: '2 GB of memory', device: { devicePixels: 1080, deviceMemory: 2 }, plan: [3, 2, 1] },
    { name: '1 GB of memory', device: { devicePixels: 1080, deviceMemory: 1 }, plan: [3, 2] },
    { name: 'Save-Data', device: { devicePixels: 1080, saveData: true }, plan: [3] },
    { name: 'a 2G connection', device: { devicePixels: 1080, effectiveType: '2g' }, plan: [3] },
  ];
  it.each(cases)('$name', ({ device, plan }) => {
    expect(levelPlan(fourLevels, device)).toEqual(plan);
  });

  it('ops capped detail (fewer levels): the first listed level is the finest', () => {
    expect(levelPlan(fourLevels.slice(2), { devicePixels: 530 })).toEqual([1, 0]);
  });

  it('3D off (no levels): nothing to load', () => {
    expect(levelPlan([], { devicePixels: 530 })).toEqual([]);
  });

  it('untextured levels fit any budget, except Save-Data', () => {
    expect(levelPlan([level(0), level(0)], { devicePixels: 10 })).toEqual([1, 0]);
    expect(levelPlan([level(0), level(0)], { devicePixels: 10, saveData: true })).toEqual([1]);
  });

  it('texture budget: 2 texels per device pixel, as a power of two', () => {
    expect(textureBudget({ devicePixels: 530 })).toBe(2048);
    expect(textureBudget({ devicePixels: 512 })).toBe(1024);
    expect(textureBudget({ devicePixels: 10 })).toBe(256);
  });
});
