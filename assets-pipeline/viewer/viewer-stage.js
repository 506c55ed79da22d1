// The three.js half of the viewer (a lazily loaded chunk): the poster's stage (same framing, light and tone
// mapping as the poster, so the model opens exactly where the poster was), orbit and zoom by pointer, touch and
// keyboard, and progressive levels: the first-paint level first, then finer ones, each replacing the last as it
// arrives while the shopper's view (angle, zoom) is kept. Frames are drawn only on change.

import { Spherical, Vector3 } from 'three';
import { OrbitControls } from 'three/addons/controls/OrbitControls.js';
import { createGltfLoader, createStage, loadGltf } from '../poster/poster-scene.js';

/** One arrow-key press turns the model by 10°. */
const KEY_ROTATE_RAD = Math.PI / 18;
/** One +/- press zooms by 15%. */
const KEY_ZOOM = 1.15;
/** Zoom range, relative to the poster's framing: in to 1.2 × the model's radius, out to 3 × the poster's distance. */
const MIN_DISTANCE_RADII = 1.2;
const MAX_DISTANCE_FRAMINGS = 3;
/** Canvas pixels at most (a 4K screen does not need a larger drawing buffer for a product figure). */
const MAX_CANVAS_PX = 2048;

/**
 * Shows a model in `figure`, over its poster. Resolves once the last level of `urls` was tried; rejects when not even
 * the first could be shown (nothing was added to the page: the caller keeps the poster). A finer level that fails
 * is skipped and the coarser one stays.
 *
 * @param {HTMLElement} figure
 * @param {{ urls: URL[], first: Promise<ArrayBuffer>, fetchBytes: (url: URL) => Promise<ArrayBuffer>, reduceMotion: boolean,
 *   label: string, onShown: () => void, onLost: () => void }} options `urls` coarsest first; `first` is the bytes of
 *   `urls[0]`, already downloading; `onShown` is called when the canvas appears, `onLost` when the GPU drops it later.
 */
export async function showModel(figure, options) {
  const { urls, first, fetchBytes, reduceMotion, label, onShown, onLost } = options;
  const canvas = document.createElement('canvas');
  canvas.className = 'model-canvas';
  canvas.tabIndex = 0;
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', label);
  const stage = createStage(canvas, { preserveDrawingBuffer: false });
  const { renderer, scene, camera } = stage;
  const loader = createGltfLoader();
  const controls = new OrbitControls(camera, canvas);
  controls.enablePan = false;
  controls.enableDamping = !reduceMotion; // inertia is motion the shopper did not ask for
  controls.autoRotate = false;

  let drawPending = false;
  const draw = () => {
    drawPending = false;
    controls.update(); // while damping is settling, this emits `change` and so asks for the next frame
    renderer.render(scene, camera);
  };
  const requestDraw = () => {
    if (drawPending) return;
    drawPending = true;
    requestAnimationFrame(draw);
  };
  const resize = () => {
    const px = Math.min(MAX_CANVAS_PX, Math.max(64, Math.round(figure.clientWidth * (window.devicePixelRatio || 1))));
    renderer.setSize(px, px, false);
    requestDraw();
  };
  controls.addEventListener('change', requestDraw);
  canvas.addEventListener('keydown', (event) => {
    if (turnByKey(event.key, camera, controls)) event.preventDefault();
  });
  const resizes = new ResizeObserver(resize);

  let shown = false;
  let lost = false;
  let radius = 1;
  canvas.addEventListener('webglcontextlost', () => {
    lost = true;
    resizes.disconnect();
    controls.dispose();
    canvas.remove();
    if (shown) onLost();
  });
  for (const [i, url] of urls.entries()) {
    let model;
    try {
      model = await loadGltf(await (i === 0 ? first : fetchBytes(url)), loader);
    } catch (error) {
      if (shown) continue;
      controls.dispose();
      stage.dispose();
      throw error;
    }
    if (lost) {
      // Before anything was shown this is a failure (the caller offers Retry); after, the poster is back already.
      if (!shown) throw new Error('the WebGL context was lost before the first level was shown');
      return;
    }
    if (shown) {
      // A finer level of the same model: keep the shopper's angle and zoom.
      const position = camera.position.clone();
      const target = controls.target.clone();
      stage.show(model);
      fitClippingPlanes(camera, controls, radius);
      camera.position.copy(position);
      controls.target.copy(target);
      controls.update();
      requestDraw();
      continue;
    }
    const view = stage.show(model);
    // Orbit around the point the poster's camera looks at, so the first frame is the poster's.
    controls.target.copy(camera.position).addScaledVector(camera.getWorldDirection(new Vector3()), view.distance);
    controls.minDistance = view.radius * MIN_DISTANCE_RADII;
    controls.maxDistance = view.distance * MAX_DISTANCE_FRAMINGS;
    radius = view.radius;
    fitClippingPlanes(camera, controls, radius);
    // In one task: the canvas with its first frame drawn, then the poster hidden (no empty frame in between).
    figure.append(canvas);
    resize();
    draw();
    resizes.observe(figure);
    shown = true;
    onShown();
  }
}

/** Near and far planes that hold the model at every distance the controls allow. */
function fitClippingPlanes(camera, controls, radius) {
  camera.near = Math.max(controls.minDistance - radius * 1.5, radius * 0.01);
  camera.far = controls.maxDistance + radius * 1.5;
  camera.updateProjectionMatrix();
}

/** Arrow keys turn the model, + and - zoom (within the controls' range). Returns whether the key was used. */
function turnByKey(key, camera, controls) {
  const spherical = new Spherical().setFromVector3(camera.position.clone().sub(controls.target));
  if (key === 'ArrowLeft') spherical.theta -= KEY_ROTATE_RAD;
  else if (key === 'ArrowRight') spherical.theta += KEY_ROTATE_RAD;
  else if (key === 'ArrowUp') spherical.phi -= KEY_ROTATE_RAD;
  else if (key === 'ArrowDown') spherical.phi += KEY_ROTATE_RAD;
  else if (key === '+' || key === '=') spherical.radius /= KEY_ZOOM;
  else if (key === '-' || key === '_') spherical.radius *= KEY_ZOOM;
  else return false;
  spherical.makeSafe();
  spherical.radius = Math.min(controls.maxDistance, Math.max(controls.minDistance, spherical.radius));
  camera.position.copy(controls.target).add(new Vector3().setFromSpherical(spherical));
  controls.update(); // emits `change`: a frame is drawn
  return true;
}
