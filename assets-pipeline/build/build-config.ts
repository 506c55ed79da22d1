/**
 * The settings of `npm run assets -- build`: LOD levels, texture encoding,
 * input limits, poster and budgets. `--config <file>` is JSON in the shape of
 * {@link BuildConfigSchema}; anything it leaves out comes from {@link BUILD_DEFAULTS}.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';

/** One level of the LOD chain: how far meshoptimizer may simplify, and the largest texture edge. */
export interface LevelSettings {
  /** Largest texture width/height in px (aspect ratio kept; never enlarged). */
  textureSize: number;
  /** Simplification error bound, as a fraction of each mesh's extent. */
  error: number;
  /** Target share (0–1) of triangles to keep; the error bound wins when both are given. */
  ratio: number;
}

/** WebP encoding per texture role (sharp options; quality 1–100, effort 0–6). */
export interface TextureSettings {
  /** Base color, emissive and other color textures. */
  colorQuality: number;
  /** Alpha channel of color textures that carry alpha; 100 keeps it lossless (lossy alpha can be larger for fine cut-outs). */
  alphaQuality: number;
  /** Normal maps (directions, not colors). */
  normalQuality: number;
  /** Occlusion / roughness / metallic (ORM) maps. */
  ormQuality: number;
  effort: number;
}

export interface BuildSettings {
  /** Full detail first, first-paint level last. */
  levels: LevelSettings[];
  /** A level is kept only when it has at most (1 − minTriangleReduction) × the previous level's triangles. */
  minTriangleReduction: number;
  textures: TextureSettings;
  /** Inputs with a larger texture (width or height, px) fail. */
  maxInputTextureSize: number;
  poster: { enabled: boolean; size: number };
  budgets: { firstPaintBytes: number };
  /** Over budget fails the model instead of warning. */
  strict: boolean;
}

export const BUILD_DEFAULTS: BuildSettings = {
  levels: [
    { textureSize: 2048, error: 0.0001, ratio: 0 },
    { textureSize: 1024, error: 0.002, ratio: 0.5 },
    { textureSize: 512, error: 0.008, ratio: 0.2 },
    { textureSize: 256, error: 0.03, ratio: 0.06 },
  ],
  minTriangleReduction: 0.1,
  textures: { colorQuality: 80, alphaQuality: 100, normalQuality: 80, ormQuality: 80, effort: 5 },
  maxInputTextureSize: 4096,
  poster: { enabled: true, size: 1024 },
  budgets: { firstPaintBytes: 150_000 },
  strict: false,
};

export const MAX_LEVELS = 8;
const unit = z.number().min(0).max(1);
const quality = z.number().int().min(1).max(100);

const LevelSchema = z.object({
  textureSize: z.number().int().min(16).max(8192),
  error: unit,
  ratio: unit,
});

/** The `--config` file: every key optional. */
export const BuildConfigSchema = z
  .object({
    levels: z
      .array(LevelSchema)
      .min(1)
      .max(MAX_LEVELS)
      .refine((levels) => levels.every((l, i) => i === 0 || l.textureSize <= levels[i - 1]!.textureSize), {
        message: 'texture sizes must not grow from one level to the next (full detail first)',
      }),
    minTriangleReduction: z.number().min(0).max(0.99),
    textures: z
      .object({
        colorQuality: quality,
        alphaQuality: quality,
        normalQuality: quality,
        ormQuality: quality,
        effort: z.number().int().min(0).max(6),
      })
      .partial(),
    maxInputTextureSize: z.number().int().min(1).max(16384),
    poster: z.object({ enabled: z.boolean(), size: z.number().int().min(64).max(4096) }).partial(),
    budgets: z.object({ firstPaintBytes: z.number().int().positive() }).partial(),
    strict: z.boolean(),
  })
  .partial()
  .strict();
export type BuildConfig = z.infer<typeof BuildConfigSchema>;

/**
 * BUILD_DEFAULTS overlaid with a config object (already parsed or from JSON).
 * @throws Error naming the config and the first invalid key.
 *
 * @example
 * resolveBuildSettings({ budgets: { firstPaintBytes: 100_000 } }).levels.length; // 4
 */
export function resolveBuildSettings(config: unknown = {}, source = 'config'): BuildSettings {
  const parsed = BuildConfigSchema.safeParse(config);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${source}: ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`);
  }
  const c = parsed.data;
  return {
    levels: c.levels ?? BUILD_DEFAULTS.levels,
    minTriangleReduction: c.minTriangleReduction ?? BUILD_DEFAULTS.minTriangleReduction,
    textures: { ...BUILD_DEFAULTS.textures, ...c.textures },
    maxInputTextureSize: c.maxInputTextureSize ?? BUILD_DEFAULTS.maxInputTextureSize,
    poster: { ...BUILD_DEFAULTS.poster, ...c.poster },
    budgets: { ...BUILD_DEFAULTS.budgets, ...c.budgets },
    strict: c.strict ?? BUILD_DEFAULTS.strict,
  };
}

/**
 * Reads a `--config` JSON file into full settings.
 * @throws Error naming the file: unreadable, not JSON, or an invalid key.
 */
export async function loadBuildSettings(path: string | undefined): Promise<BuildSettings> {
  if (path === undefined) return resolveBuildSettings();
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new Error(`config ${path}: cannot read (${(err as Error).message})`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new Error(`config ${path}: not JSON (${(err as Error).message})`);
  }
  return resolveBuildSettings(data, `config ${path}`);
}
