// The three.js half of the viewer (a lazily loaded chunk): the poster's stage (same framing and light as the
// poster), orbit and zoom by pointer and keyboard, and progressive levels: the first-paint level first, then finer
// ones up to what the device can hold, each replacing the last as it arrives.
import { Box3, Spherical, Vector3 } from 'three';
import { OrbitControls } from 'three/addons/controls/OrbitControls.js';
import { createGltfLoader, createStage, loadGltf } from '../poster/poster-scene.js';

const KEY_ROTATE_RAD = Math.PI / 18;
const KEY_ZOOM = 1.15;

/**
 * Shows the model of `manifest` in `figure`. Resolves when the finest level within budget is shown; rejects when
 * not even the first level could be shown (the caller keeps the poster). A finer level that fails is skipped.
 */
export async function showModel(figure, manifest, manifestUrl, { timeoutMs, onFirstLevel }) {
  const levels = manifest.levels;
  const plan = levelsToLoad(levels, figure.clientWidth * (window.devicePixelRatio || 1));
  const canvas = document.createElement('canvas');
  canvas.className = 'model-canvas';
  canvas.tabIndex = 0;
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', `${figure.querySelector('img')?.alt || 'Product'}: 3D view. Arrow keys rotate, + and - zoom.`);
  const stage = createStage(canvas, { preserveDrawingBuffer: false });
  const loader = createGltfLoader();
  const reduceMotion = matchMedia('(prefers-reduced-motion: reduce)').matches;
  const controls = new OrbitControls(stage.camera, canvas);
  controls.enableDamping = false;
  controls.enablePan = false;
  controls.autoRotate = false;
  const size = () => Math.max(64, Math.round(figure.clientWidth * (window.devicePixelRatio || 1)));
  const render = () => stage.render(size());
  controls.addEventListener('change', render);
  canvas.addEventListener('keydown', (event) => {
    if (onKey(event.key, stage.camera, controls, reduceMotion)) event.preventDefault();
  });
  new ResizeObserver(render).observe(figure);

  let shown = false;
  for (const index of plan) {
    try {
      const model = await loadLevel(loader, new URL(levels[index].uri, manifestUrl), timeoutMs);
      stage.show(model);
      new Box3().setFromObject(model).getCenter(controls.target);
      controls.update();
      render();
      if (!shown) {
        figure.append(canvas);
        shown = true;
        onFirstLevel();
      }
    } catch (error) {
      if (!shown) throw error;
      return; // keep the level already shown
    }
  }
}

/** Level indexes to load, coarsest first, down to the finest the device should hold. */
export function levelsToLoad(levels, devicePixels) {
  const saveData = navigator.connection?.saveData === true;
  const memory = navigator.deviceMemory ?? 8;
  let maxTexture = devicePixels >= 480 ? 4096 : devicePixels >= 240 ? 1024 : 512;
  if (memory <= 2) maxTexture = Math.min(maxTexture, 1024);
  const last = levels.length - 1;
  if (saveData) return [last];
  const plan = [];
  for (let i = last; i >= 0; i--) if (i === last || levels[i].textureSize <= maxTexture) plan.push(i);
  return plan;
}

async function loadLevel(loader, url, timeoutMs) {
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  return loadGltf(await res.arrayBuffer(), loader);
}

function onKey(key, camera, controls, reduceMotion) {
  const offset = camera.position.clone().sub(controls.target);
  const spherical = new Spherical().setFromVector3(offset);
  const step = reduceMotion ? KEY_ROTATE_RAD / 2 : KEY_ROTATE_RAD;
  if (key === 'ArrowLeft') spherical.theta -= step;
  else if (key === 'ArrowRight') spherical.theta += step;
  else if (key === 'ArrowUp') spherical.phi = Math.max(0.05, spherical.phi - step);
  else if (key === 'ArrowDown') spherical.phi = Math.min(Math.PI - 0.05, spherical.phi + step);
  else if (key === '+' || key === '=') spherical.radius /= KEY_ZOOM;
  else if (key === '-' || key === '_') spherical.radius *= KEY_ZOOM;
  else return false;
  camera.position.copy(controls.target).add(new Vector3().setFromSpherical(spherical));
  controls.update();
  return true;
}
