/**
 * Models the build must refuse, made in a temporary folder from the real
 * fixtures (or generated with glTF-Transform), plus a small generated model
 * that builds quickly. Each bad input is what a product team could drop in.
 */
import { copyFile, cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Document, NodeIO } from '@gltf-transform/core';
import sharp from 'sharp';
import { FIXTURES_DIR } from '../../support/fixtures.ts';

/** glTF primitive mode POINTS. */
const POINTS = 0;
export const FIXTURE_MODELS_DIR = join(FIXTURES_DIR, 'models');
export const WICKER_CHAIR = join(FIXTURE_MODELS_DIR, 'WickerChair.glb');
export const DAMAGED_HELMET = join(FIXTURE_MODELS_DIR, 'DamagedHelmet.glb');
export const TENNIS_RACQUET = join(FIXTURE_MODELS_DIR, 'TennisRacquet', 'TennisRacquet.gltf');

export interface BadInputs {
  /** The first 60% of WickerChair.glb. */
  truncated: string;
  /** A copy of the TennisRacquet folder without one of its textures (`missingTexture`). */
  missingTextureModel: string;
  missingTexture: string;
  /** A text file named `.glb`. */
  notGltf: string;
  /** A valid GLB whose only mesh draws points. */
  zeroTriangles: string;
  /** A valid GLB with an 8192×8192 base color texture named `huge_baseColor`. */
  hugeTexture: string;
}

/**
 * Writes every bad input into `dir` and returns their paths.
 *
 * @example
 * const bad = await makeBadInputs(join(tmp, 'in'));
 */
export async function makeBadInputs(dir: string): Promise<BadInputs> {
  await mkdir(dir, { recursive: true });
  const chair = await readFile(WICKER_CHAIR);
  const truncated = join(dir, 'truncated-chair.glb');
  await writeFile(truncated, chair.subarray(0, Math.floor(chair.byteLength * 0.6)));

  const racquetDir = join(dir, 'racquet-missing');
  await cp(join(FIXTURE_MODELS_DIR, 'TennisRacquet'), racquetDir, { recursive: true });
  const missingTexture = 'strings_material_normal.png';
  await rm(join(racquetDir, missingTexture));
  const missingTextureModel = join(racquetDir, 'RacquetMissingTexture.gltf');
  await copyFile(join(racquetDir, 'TennisRacquet.gltf'), missingTextureModel);
  await rm(join(racquetDir, 'TennisRacquet.gltf'));

  const notGltf = join(dir, 'not-a-model.glb');
  await writeFile(notGltf, 'Product photo shoot notes: the chair comes in red and blue.\n');

  const io = new NodeIO();
  const zeroTriangles = join(dir, 'point-cloud.glb');
  await writeFile(zeroTriangles, await io.writeBinary(pointCloud()));

  const hugeTexture = join(dir, 'huge-texture.glb');
  const huge = await sharp({ create: { width: 8192, height: 8192, channels: 3, background: '#a0522d' } })
    .png()
    .toBuffer();
  await writeFile(hugeTexture, await io.writeBinary(texturedSphere(new Uint8Array(huge), 'huge_baseColor')));
  return { truncated, missingTextureModel, missingTexture, notGltf, zeroTriangles, hugeTexture };
}

/**
 * A small valid model that builds in about a second: a UV sphere (`segments` × `segments / 2` quads)
 * with a 256-px base color texture.
 */
export async function writeSphereModel(path: string, segments = 64): Promise<string> {
  const png = await sharp({ create: { width: 256, height: 256, channels: 3, background: '#336699' } })
    .composite([{ input: { create: { width: 128, height: 256, channels: 3, background: '#ffcc00' } }, left: 0, top: 0 }])
    .png()
    .toBuffer();
  await writeFile(path, await new NodeIO().writeBinary(texturedSphere(new Uint8Array(png), 'sphere_baseColor', segments)));
  return path;
}

function pointCloud(): Document {
  const document = new Document();
  const buffer = document.createBuffer();
  const positions = new Float32Array(Array.from({ length: 300 }, (_, i) => Math.sin(i * 12.9898) * 0.5));
  const position = document.createAccessor().setType('VEC3').setArray(positions).setBuffer(buffer);
  const prim = document.createPrimitive().setMode(POINTS).setAttribute('POSITION', position);
  document.createScene().addChild(document.createNode('points').setMesh(document.createMesh('points').addPrimitive(prim)));
  return document;
}

function texturedSphere(image: Uint8Array, textureName: string, segments = 32): Document {
  const document = new Document();
  const buffer = document.createBuffer();
  const rows = segments / 2;
  const positions: number[] = [];
  const normals: number[] = [];
  const uvs: number[] = [];
  for (let r = 0; r <= rows; r++) {
    for (let s = 0; s <= segments; s++) {
      const theta = (r / rows) * Math.PI;
      const phi = (s / segments) * 2 * Math.PI;
      const n = [Math.sin(theta) * Math.cos(phi), Math.cos(theta), Math.sin(theta) * Math.sin(phi)];
      positions.push(...n.map((x) => x * 0.5));
      normals.push(...n);
      uvs.push(s / segments, r / rows);
    }
  }
  const indices: number[] = [];
  for (let r = 0; r < rows; r++) {
    for (let s = 0; s < segments; s++) {
      const a = r * (segments + 1) + s;
      const b = a + segments + 1;
      indices.push(a, b, a + 1, a + 1, b, b + 1);
    }
  }
  const accessor = (type: 'VEC2' | 'VEC3', array: Float32Array<ArrayBuffer>) =>
    document.createAccessor().setType(type).setArray(array).setBuffer(buffer);
  const texture = document.createTexture(textureName).setImage(image).setMimeType('image/png');
  const material = document.createMaterial('sphere').setBaseColorTexture(texture).setRoughnessFactor(0.6);
  const prim = document
    .createPrimitive()
    .setAttribute('POSITION', accessor('VEC3', new Float32Array(positions)))
    .setAttribute('NORMAL', accessor('VEC3', new Float32Array(normals)))
    .setAttribute('TEXCOORD_0', accessor('VEC2', new Float32Array(uvs)))
    .setIndices(document.createAccessor().setType('SCALAR').setArray(new Uint32Array(indices)).setBuffer(buffer))
    .setMaterial(material);
  document.createScene().addChild(document.createNode('sphere').setMesh(document.createMesh('sphere').addPrimitive(prim)));
  return document;
}
