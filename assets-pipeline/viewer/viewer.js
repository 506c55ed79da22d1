// Vitrine's product viewer, entry module (`/viewer/viewer.js`, loaded only by pages with a model). It enhances each
// `<figure data-vitrine-model data-manifest>` holding a poster <img>: when the manifest lists levels and the device
// has WebGL2, it loads the three.js stage (a separate chunk) and shows the model over the poster, coarse level first.
// Whatever fails, the poster stays; a failure to load offers a retry. No console output, no uncaught errors.

const LOAD_TIMEOUT_MS = 20_000;

for (const figure of document.querySelectorAll('figure[data-vitrine-model]')) enhance(figure);

async function enhance(figure) {
  const status = statusElement(figure);
  status.textContent = '';
  figure.dataset.state = 'poster';
  let manifest;
  try {
    manifest = await fetchJson(new URL(figure.dataset.manifest, location.href));
  } catch {
    return offerRetry(figure, status);
  }
  if (!Array.isArray(manifest.levels) || manifest.levels.length === 0) {
    figure.dataset.state = 'poster-only'; // 3D switched off (or no level left): the poster is the view
    return;
  }
  if (!hasWebGL2()) {
    figure.dataset.state = 'no-webgl';
    status.textContent = 'This device shows the photo; 3D needs WebGL.';
    return;
  }
  figure.dataset.state = 'loading';
  status.textContent = 'Loading 3D view…';
  try {
    const { showModel } = await import('./viewer-stage.js');
    await showModel(figure, manifest, new URL(figure.dataset.manifest, location.href), {
      timeoutMs: LOAD_TIMEOUT_MS,
      onFirstLevel: () => {
        figure.dataset.state = '3d';
        status.textContent = '';
      },
    });
  } catch {
    if (figure.dataset.state !== '3d') offerRetry(figure, status);
  }
}

function offerRetry(figure, status) {
  figure.dataset.state = 'failed';
  status.textContent = '3D view unavailable. ';
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

async function fetchJson(url) {
  const res = await fetch(url, { signal: AbortSignal.timeout(LOAD_TIMEOUT_MS) });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  return res.json();
}

function hasWebGL2() {
  try {
    return Boolean(document.createElement('canvas').getContext('webgl2'));
  } catch {
    return false;
  }
}
