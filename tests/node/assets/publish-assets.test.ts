import { createHash } from 'node:crypto';
import { cp, mkdir, mkdtemp, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Document, NodeIO } from '@gltf-transform/core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AssetStore, openAssetStore, r2AssetStore } from '../../../assets-pipeline/publish/asset-store.ts';
import { publishAssets, VIEWER_ENTRY_CACHE_CONTROL } from '../../../assets-pipeline/publish/publish-assets.ts';
import { assetsBucketFor } from '../../../assets-pipeline/publish/wrangler-bucket.ts';
import { buildViewer, VIEWER_DIR } from '../../../assets-pipeline/viewer/build-viewer.ts';
import { type LocalBindings, openLocalBindings } from '../../../static-fallback/local-state.ts';
import type { ModelManifest } from '../../../workers/shared/assets/model-manifest.ts';

/** The part of a real R2 object the assertions read. */
interface StoredObject {
  size: number;
  arrayBuffer(): Promise<ArrayBuffer>;
  httpMetadata?: { contentType?: string; cacheControl?: string };
  customMetadata?: Record<string, string>;
}

const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

/** A valid one-triangle GLB; `size` changes its bytes. */
async function triangleGlb(size: number): Promise<Uint8Array> {
  const doc = new Document();
  const buffer = doc.createBuffer();
  const position = doc
    .createAccessor()
    .setType('VEC3')
    .setArray(new Float32Array([0, 0, 0, size, 0, 0, 0, size, 0]))
    .setBuffer(buffer);
  const mesh = doc.createMesh().addPrimitive(doc.createPrimitive().setAttribute('POSITION', position));
  doc.createScene().addChild(doc.createNode().setMesh(mesh));
  return new NodeIO().writeBinary(doc);
}

async function writeHashed(folder: string, prefix: string, ext: string, data: Uint8Array) {
  const uri = `${prefix}-${sha256(data).slice(0, 12)}.${ext}`;
  await writeFile(join(folder, uri), data);
  return { uri, bytes: data.byteLength };
}

/** A model folder following the output contract: levels (one per size), a poster, tileset.json and manifest.json. */
async function writeModel(out: string, id: string, sizes: number[]): Promise<ModelManifest> {
  const folder = join(out, id);
  await mkdir(folder, { recursive: true });
  const levels: ModelManifest['levels'] = [];
  for (const [i, size] of sizes.entries()) {
    const file = await writeHashed(folder, String(i), 'glb', await triangleGlb(size));
    levels.push({ ...file, triangles: 1, geometricError: i * 0.01, textureSize: 0 });
  }
  const webp = await sharp({ create: { width: 16, height: 16, channels: 3, background: '#b08d57' } })
    .webp()
    .toBuffer();
  const poster = { ...(await writeHashed(folder, 'poster', 'webp', webp)), width: 16, height: 16 };
  const box = [0.5, 0.5, 0, 0.5, 0, 0, 0, 0.5, 0, 0, 0, 0.01];
  const tile = (i: number): object => ({
    boundingVolume: { box },
    geometricError: levels[i]!.geometricError,
    refine: 'REPLACE',
    content: { uri: levels[i]!.uri },
    ...(i > 0 ? { children: [tile(i - 1)] } : {}),
  });
  await writeFile(
    join(folder, 'tileset.json'),
    JSON.stringify({ asset: { version: '1.1' }, geometricError: 1, root: tile(levels.length - 1) }),
  );
  const manifest = {
    id,
    levels,
    poster,
    bounds: { min: [0, 0, 0], max: [1, 1, 0] },
    source: { bytes: 1000, triangles: 1 },
  } as ModelManifest;
  await writeFile(join(folder, 'manifest.json'), JSON.stringify(manifest));
  return manifest;
}

/** Records the keys put, in order. */
function recording(store: AssetStore): AssetStore & { puts: string[] } {
  const puts: string[] = [];
  return {
    puts,
    head: (key) => store.head(key),
    put: async (key, bytes, options) => {
      puts.push(key);
      await store.put(key, bytes, options);
    },
  };
}

let work: string;
let out: string;
let bindings: LocalBindings;
let objects: { get(key: string): Promise<StoredObject | null> };
const manifests: Record<string, ModelManifest> = {};

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'vitrine-publish-assets-'));
  out = join(work, 'out');
  manifests.chair = await writeModel(out, 'chair', [1, 2, 3]);
  manifests.helmet = await writeModel(out, 'helmet', [4, 5]);
  await writeFile(join(out, 'report.json'), '{}'); // not a model: ignored
  await mkdir(join(out, '.cache')); // a folder without a manifest: ignored
  await buildViewer(join(out, VIEWER_DIR)); // what `buildAssets` writes beside the models
  bindings = await openLocalBindings(join(work, 'state'));
  objects = bindings.r2 as unknown as typeof objects;
}, 60_000);

afterAll(async () => {
  await bindings?.dispose();
  await rm(work, { recursive: true, force: true });
});

const namedFiles = (m: ModelManifest) => [...m.levels.map((l) => l.uri), m.poster.uri];

describe('publishAssets into the local R2 bucket', () => {
  it('uploads every file with its content type and hash, each manifest after the files it names', async () => {
    const store = recording(r2AssetStore(bindings.r2));
    const progress: number[] = [];
    const result = await publishAssets({ dir: out, store, onProgress: (done, total) => progress.push(total - done) });
    expect(result.viewerFiles).toBeGreaterThanOrEqual(2); // viewer.js and at least one chunk
    expect(result).toMatchObject({ models: 2, uploaded: 11 + result.viewerFiles, skipped: 0 });
    expect(progress.at(-1)).toBe(0);
    // The viewer first (chunks, then the entry that imports them), before any model file.
    const viewerPuts = store.puts.filter((key) => key.startsWith('viewer/'));
    expect(store.puts.slice(0, result.viewerFiles)).toEqual(viewerPuts);
    expect(viewerPuts.at(-1)).toBe('viewer/viewer.js');
    const entry = await objects.get('viewer/viewer.js');
    expect(entry?.httpMetadata).toMatchObject({ contentType: 'text/javascript; charset=utf-8', cacheControl: VIEWER_ENTRY_CACHE_CONTROL });
    const chunk = await objects.get(viewerPuts[0]!);
    expect(viewerPuts[0]).toMatch(/^viewer\/chunk-[A-Z0-9]+\.js$/);
    expect(chunk?.httpMetadata?.cacheControl).toMatch(/immutable/);
    expect(new TextDecoder().decode(await entry!.arrayBuffer())).toContain(viewerPuts[0]!.slice('viewer/'.length));
    for (const [id, manifest] of Object.entries(manifests)) {
      const types = { glb: 'model/gltf-binary', webp: 'image/webp', json: 'application/json' };
      for (const name of [...namedFiles(manifest), 'tileset.json', 'manifest.json']) {
        const stored = await objects.get(`models/${id}/${name}`);
        const bytes = await readFile(join(out, id, name));
        expect(stored, name).not.toBeNull();
        expect(new Uint8Array(await stored!.arrayBuffer())).toEqual(new Uint8Array(bytes));
        expect(stored!.httpMetadata?.contentType).toBe(types[name.split('.').pop() as keyof typeof types]);
        expect(stored!.httpMetadata?.cacheControl).toMatch(name.endsWith('.json') ? /max-age=60/ : /immutable/);
        expect(stored!.customMetadata?.sha256).toBe(sha256(bytes));
      }
      const at = (name: string) => store.puts.indexOf(`models/${id}/${name}`);
      for (const name of namedFiles(manifest)) expect(at(name)).toBeLessThan(at('tileset.json'));
      expect(at('tileset.json')).toBeLessThan(at('manifest.json'));
    }
    expect(result.bytes).toBe(await sizeOf(store.puts));
  });

  it('an unchanged re-publish uploads nothing', async () => {
    const store = recording(r2AssetStore(bindings.r2));
    const result = await publishAssets({ dir: out, store });
    expect(result).toEqual({ models: 2, viewerFiles: result.viewerFiles, uploaded: 0, skipped: 11 + result.viewerFiles, bytes: 0 });
    expect(store.puts).toEqual([]);
  });

  it('a changed level uploads only the new level, then tileset.json and manifest.json', async () => {
    const old = manifests.chair!.levels[1]!.uri;
    await rm(join(out, 'chair'), { recursive: true });
    manifests.chair = await writeModel(out, 'chair', [1, 2.5, 3]);
    const fresh = manifests.chair.levels[1]!.uri;
    expect(fresh).not.toBe(old);
    const store = recording(r2AssetStore(bindings.r2));
    const result = await publishAssets({ dir: out, store });
    expect(store.puts).toEqual([`models/chair/${fresh}`, 'models/chair/tileset.json', 'models/chair/manifest.json']);
    expect(result).toMatchObject({ uploaded: 3, skipped: 8 + result.viewerFiles });
    const manifest = JSON.parse(new TextDecoder().decode(await (await objects.get('models/chair/manifest.json'))!.arrayBuffer()));
    expect(manifest.levels[1].uri).toBe(fresh);
  });
});

describe('publishAssets and the viewer bundle', () => {
  it('a new viewer entry uploads only viewer.js, with its short cache lifetime', async () => {
    const entry = join(out, VIEWER_DIR, 'viewer.js');
    await writeFile(entry, `${await readFile(entry, 'utf8')}\n// next release\n`);
    const store = recording(r2AssetStore(bindings.r2));
    expect(await publishAssets({ dir: out, store })).toMatchObject({ uploaded: 1 });
    expect(store.puts).toEqual(['viewer/viewer.js']);
    const stored = await objects.get('viewer/viewer.js');
    expect(stored?.customMetadata?.sha256).toBe(sha256(await readFile(entry)));
    expect(stored?.httpMetadata?.cacheControl).toBe(VIEWER_ENTRY_CACHE_CONTROL);
  });
});

describe('publishAssets refuses a broken output folder before uploading anything', () => {
  const cases: { name: string; breakIt: (dir: string) => Promise<void>; message: RegExp }[] = [
    {
      name: 'a file the manifest names is missing',
      breakIt: (dir) => unlink(join(dir, 'chair', manifests.chair!.poster.uri)),
      message: /poster-[0-9a-f]{12}\.webp: missing \(named by .*chair\/manifest\.json\)/,
    },
    {
      name: 'the folder is not a model id',
      breakIt: (dir) => cp(join(dir, 'chair'), join(dir, 'Bad_Id'), { recursive: true }),
      message: /"Bad_Id" is not a model id/,
    },
    {
      name: "the manifest's id is not its folder's",
      breakIt: (dir) => cp(join(dir, 'chair'), join(dir, 'chair-two'), { recursive: true }),
      message: /chair-two\/manifest\.json: id is "chair" but the folder is "chair-two"/,
    },
    {
      name: 'a uri escapes the model folder',
      breakIt: (dir) => editManifest(dir, (m) => Object.assign(m.levels[0]!, { uri: '../helmet/0-000000000000.glb' })),
      message: /chair\/manifest\.json: not a model manifest: levels\.0\.uri/,
    },
    {
      name: 'the model has no poster',
      breakIt: (dir) => editManifest(dir, (m) => Reflect.deleteProperty(m, 'poster')),
      message: /chair\/manifest\.json: no poster/,
    },
    {
      name: 'a level is out of order',
      breakIt: (dir) => editManifest(dir, (m) => m.levels.reverse()),
      message: /levels\[0\]\.uri is "2-/,
    },
    {
      name: 'a file does not match its hash',
      breakIt: async (dir) => writeFile(join(dir, 'chair', manifests.chair!.levels[0]!.uri), await triangleGlb(9)),
      message: /0-[0-9a-f]{12}\.glb: content hash [0-9a-f]{12} does not match its name/,
    },
    {
      name: 'the viewer bundle is missing (an output folder from before the viewer)',
      breakIt: (dir) => rm(join(dir, VIEWER_DIR), { recursive: true }),
      message: /no .*_viewer\/viewer\.js \(the product viewer\); run `npm run assets -- build` again/,
    },
    {
      name: 'the viewer folder holds a file that is not part of the bundle',
      breakIt: (dir) => writeFile(join(dir, VIEWER_DIR, 'notes.txt'), 'hello'),
      message: /_viewer\/notes\.txt: not part of the viewer bundle/,
    },
    {
      name: 'the manifest is not JSON',
      breakIt: (dir) => writeFile(join(dir, 'helmet', 'manifest.json'), '{"id": "helmet", '),
      message: /helmet\/manifest\.json: not JSON/,
    },
    {
      name: 'tileset.json points at a file the manifest does not name',
      breakIt: (dir) => writeFile(join(dir, 'helmet', 'tileset.json'), JSON.stringify({ root: { content: { uri: 'other.glb' } } })),
      message: /helmet\/tileset\.json: content "other\.glb" is not a level/,
    },
  ];

  it.each(cases)('$name', async ({ breakIt, message }) => {
    const dir = await mkdtemp(join(work, 'broken-'));
    await cp(out, dir, { recursive: true });
    await breakIt(dir);
    const store = recording({ head: async () => null, put: async () => {} });
    await expect(publishAssets({ dir, store })).rejects.toThrow(message);
    expect(store.puts).toEqual([]);
  });

  it('an empty folder says to build first', async () => {
    await expect(publishAssets({ dir: join(work, 'state'), store: recording(r2AssetStore(bindings.r2)) })).rejects.toThrow(
      /no <id>\/manifest\.json under .*; run `npm run assets -- build` first/,
    );
  });
});

describe('openAssetStore', () => {
  it('local: publishes into VITRINE_STATE_DIR, where `npm start` reads', async () => {
    const previous = process.env.VITRINE_STATE_DIR;
    process.env.VITRINE_STATE_DIR = join(work, 'state-2');
    const store = await openAssetStore({ to: 'local' });
    try {
      const result = await publishAssets({ dir: out, store });
      expect(result).toMatchObject({ uploaded: 11 + result.viewerFiles });
      const head = await store.head('models/helmet/manifest.json');
      expect(head?.customMetadata?.sha256).toBe(sha256(await readFile(join(out, 'helmet', 'manifest.json'))));
      expect(await store.head('models/helmet/absent.glb')).toBeNull();
    } finally {
      await store.dispose();
      if (previous === undefined) delete process.env.VITRINE_STATE_DIR;
      else process.env.VITRINE_STATE_DIR = previous;
    }
  }, 60_000);

  it('remote: the bucket is the ASSETS_R2 binding of the wrangler.toml environment', async () => {
    expect(await assetsBucketFor('staging')).toBe('vitrine-assets-staging');
    expect(await assetsBucketFor('production')).toBe('vitrine-assets-production');
    await expect(assetsBucketFor('nowhere')).rejects.toThrow(
      /wrangler\.toml: no \[\[env\.nowhere\.r2_buckets\]\] with binding = "ASSETS_R2"/,
    );
  });
});

async function editManifest(dir: string, edit: (m: ModelManifest) => void) {
  const path = join(dir, 'chair', 'manifest.json');
  const manifest = JSON.parse(await readFile(path, 'utf8')) as ModelManifest;
  edit(manifest);
  await writeFile(path, JSON.stringify(manifest));
}

async function sizeOf(keys: string[]): Promise<number> {
  let total = 0;
  for (const key of keys) total += (await objects.get(key))!.size;
  return total;
}
