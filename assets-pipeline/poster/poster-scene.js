// Vitrine product stage (browser ES module): a three.js renderer, studio lighting, a glTF loader with the
// meshopt decoder, and a 3/4 product framing. The poster page uses it at build time; the shopper's product
// viewer can import the same file (bare 'three' specifiers: the page supplies an import map).
import {
  Box3,
  CubeCamera,
  DirectionalLight,
  HalfFloatType,
  LinearMipmapLinearFilter,
  LinearSRGBColorSpace,
  NeutralToneMapping,
  PerspectiveCamera,
  PMREMGenerator,
  Scene,
  SRGBColorSpace,
  Vector3,
  WebGLCubeRenderTarget,
  WebGLRenderer,
} from 'three';
import { RoomEnvironment } from 'three/addons/environments/RoomEnvironment.js';
import { MeshoptDecoder } from 'three/addons/libs/meshopt_decoder.module.js';
import { GLTFLoader } from 'three/addons/loaders/GLTFLoader.js';

/** Framing defaults: a 3/4 view from the front-right, slightly above, the model filling ~88% of the frame. */
export const STAGE_DEFAULTS = {
  fov: 30,
  azimuthDeg: 35,
  elevationDeg: 20,
  fill: 0.88,
  exposure: 1,
  keyLight: 1.5,
  /** Vertices sampled to frame the silhouette. */
  maxPoints: 200_000,
  /** 'mipmapped' (fast, see mipmappedEnvironment) or 'pmrem' (exact GGX prefiltering, for viewers with a GPU). */
  environment: 'mipmapped',
  /** Keep the last frame readable (posters read it back with toDataURL; an interactive viewer does not need it). */
  preserveDrawingBuffer: true,
};

/**
 * A WebGL2 stage on `canvas` with a transparent background, sRGB output, neutral (Khronos PBR) tone mapping,
 * a RoomEnvironment for image-based light (metals are not black) and one key light. MSAA on, pixel ratio 1:
 * with no animation or time input, the same model gives the same pixels.
 * Throws when WebGL2 is unavailable.
 *
 * @example
 * const stage = createStage(document.querySelector('canvas'));
 * stage.show(await loadGltf(bytes)); stage.render(1024);
 */
export function createStage(canvas, options = {}) {
  const o = { ...STAGE_DEFAULTS, ...options };
  let renderer;
  try {
    renderer = new WebGLRenderer({ canvas, alpha: true, antialias: true, preserveDrawingBuffer: o.preserveDrawingBuffer });
  } catch (error) {
    throw new Error(`WebGL2 is not available in this browser (no GPU and no SwiftShader fallback): ${error.message}`);
  }
  renderer.setPixelRatio(1);
  renderer.setClearColor(0x000000, 0);
  renderer.outputColorSpace = SRGBColorSpace;
  renderer.toneMapping = NeutralToneMapping;
  renderer.toneMappingExposure = o.exposure;

  const scene = new Scene();
  scene.environment = o.environment === 'pmrem' ? pmremEnvironment(renderer) : mipmappedEnvironment(renderer);
  const key = new DirectionalLight(0xffffff, o.keyLight);
  scene.add(key, key.target);
  const camera = new PerspectiveCamera(o.fov, 1, 0.01, 100);
  let model;

  return {
    renderer,
    scene,
    camera,
    /** Replaces the shown model (disposing the previous one), frames the camera and key light on it; returns the framing. */
    show(object) {
      if (model) disposeObject(scene, model);
      model = object;
      scene.add(object);
      const view = frameObject(camera, object, o);
      key.position.copy(view.center).addScaledVector(view.keyDirection, view.radius * 4);
      key.target.position.copy(view.center);
      return view;
    },
    /** Renders one square frame of `size` px. */
    render(size) {
      renderer.setSize(size, size, false);
      camera.aspect = 1;
      camera.updateProjectionMatrix();
      renderer.render(scene, camera);
    },
    /** Removes and frees the shown model. */
    clear() {
      if (model) disposeObject(scene, model);
      model = undefined;
    },
    /** Frees the model, the environment map and the renderer (the canvas keeps its context until collected). */
    dispose() {
      this.clear();
      scene.environment?.dispose();
      renderer.dispose();
    },
  };
}

/** A GLTFLoader that decodes EXT_meshopt_compression (and, built in, KHR_mesh_quantization, EXT_texture_webp, ...). */
export function createGltfLoader() {
  return new GLTFLoader().setMeshoptDecoder(MeshoptDecoder);
}

/** Parses GLB bytes (ArrayBuffer) into a three.js scene. */
export async function loadGltf(bytes, loader = createGltfLoader()) {
  const gltf = await loader.parseAsync(bytes, '');
  return gltf.scene;
}

/**
 * Points `camera` at `object` from the stage's 3/4 view and moves it back until every vertex (up to
 * `maxPoints`, evenly sampled) is inside the frame with the `fill` margin, then centres the projected silhouette:
 * tighter than fitting the bounding box for thin or diagonal products. Returns the framing.
 */
export function frameObject(camera, object, options = {}) {
  const o = { ...STAGE_DEFAULTS, ...options };
  object.updateMatrixWorld(true);
  const box = new Box3().setFromObject(object);
  if (box.isEmpty()) throw new Error('the model has no visible geometry (empty bounding box)');
  const center = box.getCenter(new Vector3());
  const radius = box.getSize(new Vector3()).length() / 2;
  if (!(radius > 0) || !Number.isFinite(radius)) throw new Error(`the model has a degenerate bounding box (radius ${radius})`);

  const az = (o.azimuthDeg * Math.PI) / 180;
  const el = (o.elevationDeg * Math.PI) / 180;
  const back = new Vector3(Math.sin(az) * Math.cos(el), Math.sin(el), Math.cos(az) * Math.cos(el));
  const right = new Vector3(0, 1, 0).cross(back).normalize();
  const up = back.clone().cross(right);
  const tan = Math.tan(((o.fov / 2) * Math.PI) / 180) * o.fill;
  const points = viewSpacePoints(object, center, [right, up, back], o.maxPoints);

  // A point (x, y, z toward the camera) is in frame, for target offset (sx, sy) and distance d, when
  // |x - sx| <= tan * (d - z). Fit, shift the target to centre the projected extent, fit again.
  let sx = 0;
  let sy = 0;
  let d = 0;
  for (let pass = 0; pass < 3; pass++) {
    d = radius * 0.1;
    for (let i = 0; i < points.length; i += 3) {
      const need = Math.max(Math.abs(points[i] - sx), Math.abs(points[i + 1] - sy)) / tan + points[i + 2];
      d = Math.max(d, need, points[i + 2] + radius * 0.1);
    }
    const extent = [Infinity, -Infinity, Infinity, -Infinity];
    for (let i = 0; i < points.length; i += 3) {
      const depth = d - points[i + 2];
      const nx = (points[i] - sx) / depth;
      const ny = (points[i + 1] - sy) / depth;
      extent[0] = Math.min(extent[0], nx);
      extent[1] = Math.max(extent[1], nx);
      extent[2] = Math.min(extent[2], ny);
      extent[3] = Math.max(extent[3], ny);
    }
    sx += ((extent[0] + extent[1]) / 2) * d;
    sy += ((extent[2] + extent[3]) / 2) * d;
  }
  const target = center.clone().addScaledVector(right, sx).addScaledVector(up, sy);
  camera.position.copy(target).addScaledVector(back, d);
  camera.up.set(0, 1, 0);
  camera.lookAt(target);
  camera.near = Math.max(d - radius * 1.5, d / 1000);
  camera.far = d + radius * 1.5;
  camera.updateProjectionMatrix();
  const keyDirection = back.clone().addScaledVector(right, -0.8).addScaledVector(up, 1.2).normalize();
  return { center, radius, distance: d, keyDirection };
}

/** World positions of the object's vertices relative to `center`, in the [right, up, back] basis, as x,y,z triplets. */
function viewSpacePoints(object, center, [right, up, back], maxPoints) {
  const sources = [];
  let total = 0;
  object.traverseVisible((node) => {
    const position = node.geometry?.attributes?.position;
    if (position && (node.isMesh || node.isLine || node.isPoints)) {
      sources.push([node, position]);
      total += position.count;
    }
  });
  const step = Math.max(1, Math.ceil(total / maxPoints));
  const out = [];
  const v = new Vector3();
  for (const [node, position] of sources) {
    if (node.isInstancedMesh) {
      // Instances move the geometry around: frame the corners of their joint bounding box instead.
      const box = new Box3().setFromObject(node);
      for (const x of [box.min.x, box.max.x]) {
        for (const y of [box.min.y, box.max.y]) {
          for (const z of [box.min.z, box.max.z]) {
            v.set(x, y, z).sub(center);
            out.push(v.dot(right), v.dot(up), v.dot(back));
          }
        }
      }
      continue;
    }
    for (let i = 0; i < position.count; i += step) {
      v.fromBufferAttribute(position, i).applyMatrix4(node.matrixWorld).sub(center);
      out.push(v.dot(right), v.dot(up), v.dot(back));
    }
  }
  return out;
}

function disposeObject(scene, object) {
  scene.remove(object);
  object.traverse((node) => {
    node.geometry?.dispose();
    for (const material of [node.material ?? []].flat()) {
      for (const value of Object.values(material)) {
        if (value?.isTexture) {
          value.source?.data?.close?.();
          value.dispose();
        }
      }
      material.dispose();
    }
  });
}

/** The exact studio light: three's GGX-prefiltered PMREM of a RoomEnvironment. Seconds of CPU on SwiftShader. */
function pmremEnvironment(renderer) {
  const pmrem = new PMREMGenerator(renderer);
  const room = new RoomEnvironment();
  const texture = pmrem.fromScene(room, 0.04).texture;
  room.dispose();
  pmrem.dispose();
  return texture;
}

/**
 * The same RoomEnvironment as a plain cube map whose box-filtered mip chain (256 px down to 1 px) stands in for
 * the prefiltered levels: three maps roughness r to mip `maxLod * r * (2 - r)`, and one texel of mip L spans about
 * as many degrees as a GGX lobe of that roughness. Looks close to the PMREM on the fixture models for a few
 * milliseconds of work instead of the PMREM's 256 GGX samples per texel (5-15 s on two CPU cores in SwiftShader).
 */
function mipmappedEnvironment(renderer) {
  const size = 256;
  const target = new WebGLCubeRenderTarget(size, {
    type: HalfFloatType,
    generateMipmaps: true,
    minFilter: LinearMipmapLinearFilter,
    colorSpace: LinearSRGBColorSpace,
  });
  const room = new RoomEnvironment();
  new CubeCamera(0.1, 100, target).update(renderer, room);
  room.dispose();
  const texture = target.texture;
  // Read as a PMREM: the shader takes its lod range from `mipmaps` (every level down to 1x1).
  texture.isPMREMTexture = true;
  for (let lod = 0; size >> lod >= 1; lod++) texture.mipmaps.push({ width: size >> lod, height: size >> lod });
  return texture;
}
