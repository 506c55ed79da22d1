/** `<out>/report.json`: what a build did, per model. */
import type { BuildSettings } from './build-config.ts';
import type { ManifestPoster, ModelManifest } from './write-manifest.ts';

export type ModelStatus = 'built' | 'unchanged' | 'failed';

export interface ModelReport {
  id: string;
  /** The model file, as found (relative to the working directory when below it). */
  input: string;
  status: ModelStatus;
  /** Why the model failed: names the model and the exact problem. */
  error?: string;
  warnings: string[];
  levels: { uri: string; bytes: number; triangles: number; textureSize: number }[];
  poster?: ManifestPoster;
  source?: ModelManifest['source'];
  /** Time spent on this model (reading, building, poster, writing), ms. */
  ms: number;
}

export interface BuildReport {
  settings: BuildSettings;
  models: ModelReport[];
}

export const REPORT_FILE = 'report.json';

/**
 * The report entry of a model whose outputs exist (built now or unchanged).
 *
 * @example
 * modelReport(manifest, { input: 'models/chair.glb', status: 'built', warnings: [], ms: 5210 });
 */
export function modelReport(manifest: ModelManifest, rest: Pick<ModelReport, 'input' | 'status' | 'warnings' | 'ms'>): ModelReport {
  return {
    id: manifest.id,
    input: rest.input,
    status: rest.status,
    warnings: rest.warnings,
    levels: manifest.levels.map(({ uri, bytes, triangles, textureSize }) => ({ uri, bytes, triangles, textureSize })),
    ...(manifest.poster ? { poster: manifest.poster } : {}),
    source: manifest.source,
    ms: rest.ms,
  };
}

/** The report entry of a model that failed. */
export function failedReport(id: string, input: string, error: string, ms: number, warnings: string[] = []): ModelReport {
  return { id, input, status: 'failed', error, warnings, levels: [], ms };
}
