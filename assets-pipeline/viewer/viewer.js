// Vitrine's product viewer, entry module (`/viewer/viewer.js`, loaded only by pages with a model). It enhances each
// `<figure data-vitrine-model data-manifest>` holding a poster <img>: when the manifest lists levels and the device
// has WebGL2, it loads the three.js stage (a separate chunk) while the first-paint level downloads, and shows the
// model over the poster, coarse level first. Whatever fails, the poster stays; a failed load offers a retry.
// No console output, no uncaught errors, no endless spinner: every load is bounded by LOAD_TIMEOUT_MS.
//
// `figure.dataset.state`: poster → loading → 3d, or poster-only (3D switched off), no-webgl, failed (with Retry).

import { levelPlan } from './level-plan.ts';

/** Bound on each load: the manifest, the stage's code, each level (download and decode). */
const LOAD_TIMEOUT_MS = 20_000;

for (const figure of document.querySelectorAll('figure[data-vitrine-model]')) enhance(figure);

async function enhance(figure) {
  const status = statusElement(figure);
  setState(figure, status, 'poster', '');
  const manifestUrl = new URL(figure.dataset.manifest ?? '', location.href);
  let manifest;
  try {
    manifest = await fetchJson(manifestUrl);
  } catch {
    return offerRetry(figure, status);
  }
  if (!Array.isArray(manifest.levels) || manifest.levels.length === 0) return setState(figure, status, 'poster-only', '');
  if (!hasWebGL2()) return setState(figure, status, 'no-webgl', 'This device shows the photo: its browser has no WebGL for 3D.');

  setState(figure, status, 'loading', 'Loading 3D view…');
  const plan = levelPlan(manifest.levels, deviceFacts(figure));
  const urls = plan.map((index) => new URL(manifest.levels[index].uri, manifestUrl));
  const first = fetchBytes(urls[0]); // downloads while the stage's code loads
  first.catch(() => {}); // awaited by the stage; a failure before then must not surface as unhandled
  try {
    const { showModel } = await withTimeout(import('./viewer-stage.js'), LOAD_TIMEOUT_MS);
    await showModel(figure, {
      urls,
      first,
      fetchBytes,
      reduceMotion: matchMedia('(prefers-reduced-motion: reduce)').matches,
      label: `${figure.querySelector('img')?.alt || 'Product'}: 3D view. Drag or use the arrow keys to turn it, + and - to zoom.`,
      onShown: () => setState(figure, status, '3d', ''),
      onLost: () => offerRetry(figure, status),
    });
  } catch {
    if (figure.dataset.state !== '3d') offerRetry(figure, status);
  }
}

function setState(figure, status, state, message) {
  figure.dataset.state = state;
  status.textContent = message;
}

function offerRetry(figure, status) {
  setState(figure, status, 'failed', '3D view unavailable — ');
  const retry = document.createElement('button');
  retry.type = 'button';
  retry.className = 'model-retry';
  retry.textContent = 'Retry';
  retry.addEventListener('click', () => enhance(figure), { once: true });
  status.append(retry);
}

function statusElement(figure) {
  let status = figure.querySelector('.model-status');
  if (!status) {
    status = document.createElement('figcaption');
    status.className = 'model-status';
    status.setAttribute('role', 'status');
    figure.append(status);
  }
  return status;
}

/** What the level plan needs to know about this device (see level-plan.ts). */
function deviceFacts(figure) {
  return {
    devicePixels: figure.clientWidth * (window.devicePixelRatio || 1),
    saveData: navigator.connection?.saveData === true,
    effectiveType: navigator.connection?.effectiveType,
    deviceMemory: navigator.deviceMemory,
  };
}

async function fetchJson(url) {
  const res = await fetch(url, { signal: AbortSignal.timeout(LOAD_TIMEOUT_MS) });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  return res.json();
}

/** A level's bytes; the timeout covers the whole body. */
async function fetchBytes(url) {
  const res = await fetch(url, { signal: AbortSignal.timeout(LOAD_TIMEOUT_MS) });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  return res.arrayBuffer();
}

function withTimeout(promise, ms) {
  return Promise.race([promise, new Promise((_, reject) => setTimeout(() => reject(new Error('timed out')), ms))]);
}

/** WebGL2 on a throwaway canvas, whose context is released at once (browsers cap live contexts). */
function hasWebGL2() {
  try {
    const gl = document.createElement('canvas').getContext('webgl2');
    gl?.getExtension('WEBGL_lose_context')?.loseContext();
    return Boolean(gl);
  } catch {
    return false;
  }
}
