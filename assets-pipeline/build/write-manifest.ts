/**
 * `<out>/<id>/manifest.json`: what a viewer needs to pick a level and what the
 * showroom needs when 3D is off. URIs are relative to the manifest.
 */
import type { vec3 } from '@gltf-transform/core';

export interface ManifestLevel {
  uri: string;
  bytes: number;
  triangles: number;
  /** World-space error estimate of this level against the source, in the model's units. */
  geometricError: number;
  /** Largest texture edge, px. */
  textureSize: number;
}

export interface ManifestPoster {
  uri: string;
  bytes: number;
  width: number;
  height: number;
}

export interface ModelManifest {
  id: string;
  /** Full detail first, first paint last. */
  levels: ManifestLevel[];
  /** Absent only when the build ran with posters disabled (such a folder cannot be published). */
  poster?: ManifestPoster;
  bounds: { min: vec3; max: vec3 };
  source: { bytes: number; triangles: number };
}

/**
 * The manifest object, keys in contract order (stable bytes for the same build).
 *
 * @example
 * modelManifest({ id: 'chair', levels, poster, bounds, source }).levels[0].uri; // '0-1a2b3c4d5e6f.glb'
 */
export function modelManifest(parts: ModelManifest): ModelManifest {
  const { id, levels, poster, bounds, source } = parts;
  return {
    id,
    levels: levels.map(({ uri, bytes, triangles, geometricError, textureSize }) => ({
      uri,
      bytes,
      triangles,
      geometricError,
      textureSize,
    })),
    ...(poster ? { poster: { uri: poster.uri, bytes: poster.bytes, width: poster.width, height: poster.height } } : {}),
    bounds: { min: bounds.min, max: bounds.max },
    source: { bytes: source.bytes, triangles: source.triangles },
  };
}
