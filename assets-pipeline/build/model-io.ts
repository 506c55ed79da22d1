/**
 * The one glTF reader/writer of the pipeline: glTF-Transform's NodeIO with every
 * extension it knows and meshoptimizer's codecs, so inputs may already use
 * EXT_meshopt_compression and outputs can be written with it.
 */
import { type Document, NodeIO } from '@gltf-transform/core';
import { ALL_EXTENSIONS } from '@gltf-transform/extensions';
import type { ModelSource } from './read-model.ts';

let shared: Promise<NodeIO> | undefined;

/**
 * A ready NodeIO (meshoptimizer's WebAssembly loaded), created once per thread.
 *
 * @example
 * const io = await modelIO();
 * const document = await io.readBinary(glb);
 */
export function modelIO(): Promise<NodeIO> {
  shared ??= create();
  return shared;
}

async function create(): Promise<NodeIO> {
  const { MeshoptDecoder, MeshoptEncoder, MeshoptSimplifier } = await import('meshoptimizer').catch((err: Error) => {
    throw new Error(`assets: cannot load meshoptimizer (${err.message}); run npm install in the project`);
  });
  await Promise.all([MeshoptDecoder.ready, MeshoptEncoder.ready, MeshoptSimplifier.ready]);
  return new NodeIO()
    .registerExtensions(ALL_EXTENSIONS)
    .registerDependencies({ 'meshopt.decoder': MeshoptDecoder, 'meshopt.encoder': MeshoptEncoder });
}

/**
 * Parses a model already read from disk (its external files included) into a glTF-Transform Document.
 *
 * @example
 * const document = await readModelDocument(await readModelSource('racquet', 'TennisRacquet.gltf'));
 */
export async function readModelDocument(source: ModelSource): Promise<Document> {
  const io = await modelIO();
  const { json, resources } =
    source.format === 'glb'
      ? await io.binaryToJSON(source.bytes)
      : {
          json: JSON.parse(
            Buffer.from(source.bytes)
              .toString('utf8')
              .replace(/^\uFEFF/, ''),
          ),
          resources: {},
        };
  return io.readJSON({ json, resources: { ...resources, ...source.resources } });
}
