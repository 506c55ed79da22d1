/**
 * Which products have a 3D model shoppers can load, and the links to it:
 * a product's `modelId` counts once its manifest is published in R2
 * (`models/<id>/manifest.json`), so neither the API nor a page ever links a
 * model that is not there. Answers are cached per isolate for a minute.
 *
 * @example
 * const model = await publishedModel(env, product.modelId);
 * // { id: 'wickerchair', manifest: '/models/wickerchair/manifest.json', poster: '/models/wickerchair/poster.webp' }
 */

export interface ModelLinks {
  id: string;
  /** The manifest the asset worker serves (levels filtered by ops' policy). */
  manifest: string;
  /** A stable alias of the content-hashed poster. */
  poster: string;
}

export const MODEL_CHECK_TTL_MS = 60_000;
/** Enough for any catalog page; oldest answers go first beyond it. */
const MAX_CACHED = 5_000;

const checked = new Map<string, { published: boolean; at: number }>();

export function modelLinks(id: string): ModelLinks {
  return { id, manifest: `/models/${id}/manifest.json`, poster: `/models/${id}/poster.webp` };
}

/** The model's links when its manifest is published, else undefined (also for no model id, or R2 trouble). */
export async function publishedModel(env: Env, modelId: string | undefined, now = Date.now()): Promise<ModelLinks | undefined> {
  if (!modelId) return undefined;
  const hit = checked.get(modelId);
  if (hit && now - hit.at < MODEL_CHECK_TTL_MS) return hit.published ? modelLinks(modelId) : undefined;
  const published = await env.ASSETS_R2.head(`models/${modelId}/manifest.json`).then(
    (object) => object !== null,
    () => hit?.published ?? false,
  );
  checked.delete(modelId);
  checked.set(modelId, { published, at: now });
  if (checked.size > MAX_CACHED) checked.delete(checked.keys().next().value!);
  return published ? modelLinks(modelId) : undefined;
}

/** Test hook: forget what this isolate checked. */
export function resetModelLinks(): void {
  checked.clear();
}
