/**
 * Reads a model's bytes from disk: the .glb or .gltf and every external file it
 * references, with the structural checks that give a clear message before any
 * parser sees the bytes (not glTF, truncated, a referenced file missing).
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';

export interface ModelSource {
  id: string;
  path: string;
  format: 'glb' | 'gltf';
  /** The .glb or .gltf file. */
  bytes: Uint8Array<ArrayBuffer>;
  /** External files by the URI the model uses for them (.bin buffers, textures). */
  resources: Record<string, Uint8Array<ArrayBuffer>>;
  /** The model file plus every external file. */
  totalBytes: number;
}

const GLB_MAGIC = 0x46546c67; // 'glTF', little-endian
const GLB_HEADER_BYTES = 12;

/**
 * Reads one model and what it references.
 * @throws Error naming the model and the problem: unreadable, empty, neither GLB nor glTF JSON,
 * a truncated GLB, or a missing referenced file (by its URI).
 *
 * @example
 * const source = await readModelSource('tennisracquet', 'models/TennisRacquet/TennisRacquet.gltf');
 * Object.keys(source.resources); // ['TennisRacquet.bin', 'frame_material_baseColor.png', …]
 */
export async function readModelSource(id: string, path: string): Promise<ModelSource> {
  const name = `${id} (${basename(path)})`;
  const bytes = await readFile(path).catch((err: Error) => {
    throw new Error(`${name}: cannot read ${path}: ${err.message}`);
  });
  if (bytes.byteLength === 0) throw new Error(`${name}: the file is empty`);
  const format = bytes.byteLength >= 4 && bytes.readUInt32LE(0) === GLB_MAGIC ? 'glb' : 'gltf';
  const json = format === 'glb' ? glbJson(name, bytes) : gltfJson(name, bytes);
  const resources: Record<string, Uint8Array<ArrayBuffer>> = {};
  for (const uri of externalUris(json)) {
    const file = resolve(dirname(path), decodeURIComponent(uri));
    resources[uri] = await readFile(file).catch((err: NodeJS.ErrnoException) => {
      throw new Error(
        err.code === 'ENOENT'
          ? `${name}: references ${uri}, which is missing (looked for ${file})`
          : `${name}: cannot read ${uri}: ${err.message}`,
      );
    });
  }
  const totalBytes = Object.values(resources).reduce((n, r) => n + r.byteLength, bytes.byteLength);
  return { id, path, format, bytes, resources, totalBytes };
}

/** SHA-256 (hex) of a model's bytes and its external files, each with its URI. */
export function sourceHash(source: ModelSource): string {
  const hash = createHash('sha256').update(source.bytes);
  for (const uri of Object.keys(source.resources).sort()) hash.update(`\0${uri}\0`).update(source.resources[uri]!);
  return hash.digest('hex');
}

function glbJson(name: string, bytes: Buffer): unknown {
  if (bytes.byteLength < GLB_HEADER_BYTES + 8)
    throw new Error(`${name}: truncated GLB: ${bytes.byteLength} bytes, shorter than a GLB header`);
  const version = bytes.readUInt32LE(4);
  if (version !== 2) throw new Error(`${name}: GLB version ${version}; only glTF 2.0 is supported`);
  const declared = bytes.readUInt32LE(8);
  if (declared > bytes.byteLength)
    throw new Error(`${name}: truncated GLB: the header declares ${declared} bytes but the file has ${bytes.byteLength}`);
  const jsonLength = bytes.readUInt32LE(12);
  if (GLB_HEADER_BYTES + 8 + jsonLength > bytes.byteLength)
    throw new Error(`${name}: truncated GLB: the JSON chunk needs ${jsonLength} bytes, the file ends first`);
  return parseJson(name, bytes.subarray(20, 20 + jsonLength).toString('utf8'));
}

function gltfJson(name: string, bytes: Buffer): unknown {
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
  if (!text.trimStart().startsWith('{'))
    throw new Error(
      `${name}: not a glTF model: neither a GLB (no "glTF" header) nor glTF JSON (starts with ${JSON.stringify(text.slice(0, 12))})`,
    );
  return parseJson(name, text);
}

function parseJson(name: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new Error(`${name}: not a glTF model: its JSON does not parse (${(err as Error).message})`);
  }
}

/** URIs of buffers and images that are files, not `data:` URIs (or the GLB's own binary chunk). */
function externalUris(json: unknown): string[] {
  const { buffers, images } = (json ?? {}) as { buffers?: { uri?: unknown }[]; images?: { uri?: unknown }[] };
  const uris = [...(Array.isArray(buffers) ? buffers : []), ...(Array.isArray(images) ? images : [])]
    .map((item) => item?.uri)
    .filter((uri): uri is string => typeof uri === 'string' && !uri.startsWith('data:'));
  return [...new Set(uris)];
}
