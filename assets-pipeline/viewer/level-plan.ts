/**
 * Which levels of a model a device loads, and in what order. Pure (no DOM, no
 * three.js): the viewer's entry passes what it knows of the device.
 */

/** A level as the manifest lists it (levels[0] is full detail, the last one the first-paint level). */
export interface PlanLevel {
  textureSize: number;
}

/** What the browser says about the device (`navigator.connection`, `navigator.deviceMemory`, the figure's size). */
export interface DeviceFacts {
  /** The figure's width in device pixels. */
  devicePixels: number;
  saveData?: boolean;
  effectiveType?: string;
  /** GB, as `navigator.deviceMemory` rounds it (0.25 … 8). */
  deviceMemory?: number;
}

/** Texture detail worth loading per device pixel of the figure's width: 2, so a 2× zoom stays sharp. */
export const TEXELS_PER_DEVICE_PIXEL = 2;

/**
 * The largest texture the device should hold: the figure's width in device
 * pixels × 2, rounded up to a power of two (256 at least); at most 1024 px
 * with 2 GB of memory or less, 512 px with 1 GB or less. 0 (first paint only)
 * with Save-Data or a 2G connection.
 *
 * @example
 * textureBudget({ devicePixels: 530 }); // 2048
 * textureBudget({ devicePixels: 1080, saveData: true }); // 0
 */
export function textureBudget(device: DeviceFacts): number {
  if (device.saveData || device.effectiveType === 'slow-2g' || device.effectiveType === '2g') return 0;
  let budget = 2 ** Math.ceil(Math.log2(Math.max(256, device.devicePixels * TEXELS_PER_DEVICE_PIXEL)));
  const memory = device.deviceMemory ?? 8;
  if (memory <= 1) budget = Math.min(budget, 512);
  else if (memory <= 2) budget = Math.min(budget, 1024);
  return budget;
}

/**
 * Level indexes to load, coarsest first: the first-paint level (the last one)
 * always, then each finer level whose textures fit the device's budget.
 *
 * @example
 * levelPlan(manifest.levels, { devicePixels: 530 }); // [3, 2, 1, 0]
 */
export function levelPlan(levels: readonly PlanLevel[], device: DeviceFacts): number[] {
  const last = levels.length - 1;
  if (last < 0) return [];
  const plan = [last];
  const budget = textureBudget(device);
  if (budget === 0) return plan;
  for (let i = last - 1; i >= 0 && levels[i]!.textureSize <= budget; i--) plan.push(i);
  return plan;
}
