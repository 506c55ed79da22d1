// The poster page's entry (browser ES module). It sets up one stage, then waits for the renderer in Node:
// `window.__posterReady` (or `window.__posterError`) says the stage is up; `window.__poster.render(url, size)`
// fetches a GLB, renders one frame once every texture is decoded, and resolves with the canvas as a PNG data URL.
import { createGltfLoader, createStage, loadGltf } from './poster-scene.js';

try {
  // Detached on purpose: a WebGL canvas in the document makes the software compositor read it back, which stalls
  // SwiftShader for seconds on the first frame. toDataURL works the same on a detached canvas.
  const canvas = document.createElement('canvas');
  const stage = createStage(canvas);
  const loader = createGltfLoader();
  // One empty frame read back: the environment is built and the GPU process answers before the page says ready.
  stage.render(16);
  canvas.toDataURL('image/png');
  window.__poster = {
    async render(url, size) {
      const response = await fetch(url, { cache: 'no-store' });
      if (!response.ok) throw new Error(`could not fetch the model (HTTP ${response.status})`);
      let model;
      try {
        model = await loadGltf(await response.arrayBuffer(), loader);
      } catch (error) {
        throw new Error(`three.js could not read the model: ${error?.message ?? error}`);
      }
      try {
        stage.show(model);
        stage.render(size);
        return canvas.toDataURL('image/png');
      } finally {
        stage.clear();
      }
    },
  };
  window.__posterReady = true;
} catch (error) {
  window.__posterError = String(error?.message ?? error);
}
