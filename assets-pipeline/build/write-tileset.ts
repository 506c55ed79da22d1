/**
 * `<out>/<id>/tileset.json`: the same LOD chain as a 3D Tiles 1.1 tileset for
 * standard tiles viewers. The root tile holds the coarsest level; each child
 * the next finer one, `refine: "REPLACE"`, down to full detail.
 * https://docs.ogc.org/cs/22-025r4/22-025r4.html
 */
import type { ModelManifest } from './write-manifest.ts';

export interface Tile {
  boundingVolume: { box: number[] };
  geometricError: number;
  refine?: 'REPLACE' | 'ADD';
  content: { uri: string };
  children?: Tile[];
}

export interface Tileset {
  asset: { version: '1.1'; generator: string };
  geometricError: number;
  root: Tile;
}

/**
 * The tileset for a manifest.
 * glTF is y-up and 3D Tiles z-up (3D Tiles 1.1, "glTF transforms": y-up content is rotated to z-up), so the box
 * maps glTF (x, y, z) to tiles (x, −z, y). The tileset's own geometricError is the bounds' diagonal
 * (the error of showing nothing); each tile's is its level's error, 0 for full detail.
 *
 * @example
 * tilesetFor(manifest).root.content.uri; // '3-0a1b2c3d4e5f.glb' (the first-paint level)
 */
export function tilesetFor(manifest: ModelManifest): Tileset {
  const { min, max } = manifest.bounds;
  const half = [(max[0] - min[0]) / 2, (max[1] - min[1]) / 2, (max[2] - min[2]) / 2] as const;
  const center = [(max[0] + min[0]) / 2, -(max[2] + min[2]) / 2, (max[1] + min[1]) / 2];
  const box = [...center, half[0], 0, 0, 0, half[2], 0, 0, 0, half[1]].map((x) => (Object.is(x, -0) ? 0 : x));
  let tile: Tile | undefined;
  for (const [i, level] of manifest.levels.entries()) {
    const next: Tile = {
      boundingVolume: { box },
      geometricError: i === 0 ? 0 : level.geometricError,
      refine: 'REPLACE',
      content: { uri: level.uri },
      ...(tile ? { children: [tile] } : {}),
    };
    tile = next;
  }
  const diagonal = Math.hypot(2 * half[0], 2 * half[1], 2 * half[2]);
  return {
    asset: { version: '1.1', generator: 'Vitrine assets-pipeline' },
    geometricError: Math.max(diagonal, tile!.geometricError),
    root: tile!,
  };
}
