/**
 * The check every output level passes before it is written: the Khronos
 * validator on the GLB as shipped, and again on its decoded form. The
 * validator reports EXT_meshopt_compression as unsupported and never looks
 * inside the compressed buffers, so the level is decoded with glTF-Transform
 * (meshoptimizer's decoder), written without the extension and validated:
 * that is the geometry a viewer will actually draw.
 */
import { modelIO } from './model-io.ts';
import { countTriangles } from './model-stats.ts';
import { type ValidationResult, validateGltf } from './validate-model.ts';

export interface VerifiedLevel extends ValidationResult {
  /** Triangles of the decoded level. */
  triangles: number;
}

/**
 * Validates a level GLB and its decoded geometry; errors of the decoded form are prefixed `decoded: `.
 *
 * @example
 * const { errors } = await verifyLevel(glb, '0-1a2b3c4d5e6f.glb');
 * if (errors.length) throw new Error(errors.join('; '));
 */
export async function verifyLevel(glb: Uint8Array, uri: string): Promise<VerifiedLevel> {
  const shipped = await validateGltf(glb, { uri });
  const io = await modelIO();
  let decoded: Uint8Array;
  let triangles = 0;
  try {
    const document = await io.readBinary(glb);
    triangles = countTriangles(document);
    for (const extension of document.getRoot().listExtensionsUsed()) {
      if (extension.extensionName === 'EXT_meshopt_compression') extension.dispose();
    }
    decoded = await io.writeBinary(document);
  } catch (err) {
    return { errors: [...shipped.errors, `decoded: cannot decode: ${(err as Error).message}`], warnings: shipped.warnings, triangles };
  }
  const plain = await validateGltf(decoded, { uri: `${uri} (decoded)` });
  return {
    errors: [...shipped.errors, ...plain.errors.map((e) => `decoded: ${e}`)],
    warnings: [...new Set([...shipped.warnings, ...plain.warnings])],
    triangles,
  };
}
