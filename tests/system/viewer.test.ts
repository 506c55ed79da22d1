/**
 * What a shopper sees, in a real browser (Debian's chromium through
 * playwright-core) against the real stack (example origin, showroom and asset
 * workers in wrangler dev, the fixture models built and published): the poster
 * at once, then a canvas, first-paint level before full detail; and with WebGL
 * off, with the model files failing, and with 3D switched off by ops, the
 * poster stays and the console is clean. Screenshots go to tests/artifacts/.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../assets-pipeline/poster/launch-poster-browser.ts';
import { buildSnapshot, loadCatalogFile } from '../../static-fallback/importers/load-catalog.ts';
import { PROJECT_ROOT } from '../../static-fallback/local-state.ts';
import { FIXTURE_CATALOG, FIXTURE_MODELS } from '../support/fixtures.ts';
import { type LocalStack, startLocalStack } from '../support/local-stack.ts';
import { requireInstalled } from '../support/required-tools.ts';

const ARTIFACTS = join(PROJECT_ROOT, 'tests/artifacts');
const SOFTWARE_COMPOSITOR_NOTE =
  /^\[\.WebGL-0x[0-9a-f]+\]GL Driver Message \(OpenGL, Performance, GL_CLOSE_PATH_NV, High\): GPU stall due to ReadPixels( \(this message will no longer repeat\))?$/;
const PIXEL = Buffer.from('R0lGODlhAQABAAAAACwAAAAAAQABAAA=', 'base64');

let stack: LocalStack;
const browsers: Browser[] = [];
let productPath: string;

beforeAll(async () => {
  requireInstalled(CHROMIUM_PATH, 'chromium');
  const { products } = await loadCatalogFile(FIXTURE_CATALOG, { modelsPath: FIXTURE_MODELS });
  productPath = `/p/${buildSnapshot(products, { source: 'viewer-test' }).products.find((p) => p.sku === 'FUR-KNO-KNO-014')!.slug}`;
  await mkdir(ARTIFACTS, { recursive: true });
  stack = await startLocalStack({ models: true });
}, 300_000);

afterAll(async () => {
  await Promise.all(browsers.map((b) => b.close()));
  await stack?.stop();
});

async function open(extraArgs: string[] = [], setup?: (page: Page) => Promise<unknown>) {
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, ...extraArgs] });
  browsers.push(browser);
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const console: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => {
    // Without a GPU, chromium's software compositor reads every WebGL frame back and says so; not the page's doing.
    if (SOFTWARE_COMPOSITOR_NOTE.test(m.text())) return;
    if (m.type() === 'error' || m.type() === 'warning') console.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => console.push(`pageerror: ${e.message}`));
  page.on('request', (r) => requests.push(new URL(r.url()).pathname));
  page.on('response', (r) => {
    if (r.status() >= 400) console.push(`http ${r.status()}: ${r.url()}`);
  });
  // The fixture's product photos live on the internet, which this machine cannot reach: a 1-px stand-in.
  await page.route(/^https?:\/\/(?!127\.0\.0\.1)/, (route) => route.fulfill({ status: 200, contentType: 'image/gif', body: PIXEL }));
  await setup?.(page);
  await page.goto(`${stack.edgeUrl}${productPath}`, { waitUntil: 'domcontentloaded' });
  return { page, console, requests };
}

async function posterShown(page: Page) {
  const poster = page.locator('figure.model-stage img.model-poster');
  await poster.waitFor({ state: 'attached' });
  await page.waitForFunction(() => ((document.querySelector('img.model-poster') as HTMLImageElement | null)?.naturalWidth ?? 0) > 0, null, {
    timeout: 30_000,
  });
  expect(await poster.getAttribute('alt')).toMatch(/product view/);
}

const state = (page: Page) => page.locator('figure.model-stage').getAttribute('data-state');
const levelIndex = (path: string) => Number(/\/(\d+)-[0-9a-f]{12}\.glb$/.exec(path)?.[1]);

describe('the product viewer in chromium', () => {
  it('shows the poster, then a canvas; the first-paint level is requested before full detail; console clean', async () => {
    const { page, console, requests } = await open();
    await posterShown(page);
    await page.waitForFunction(() => document.querySelector('figure.model-stage')?.getAttribute('data-state') === '3d', null, {
      timeout: 60_000,
    });
    expect(await page.locator('figure.model-stage canvas').count()).toBe(1);
    await page.waitForFunction(() => performance.getEntriesByType('resource').some((e) => /\/0-[0-9a-f]{12}\.glb$/.test(e.name)), null, {
      timeout: 60_000,
    });
    const levels = requests.filter((p) => p.endsWith('.glb')).map(levelIndex);
    expect(levels.length).toBeGreaterThanOrEqual(2);
    expect(levels[0]).toBe(Math.max(...levels));
    expect(levels.indexOf(0)).toBeGreaterThan(0);
    const canvas = page.locator('figure.model-stage canvas');
    expect(await canvas.getAttribute('aria-label')).toMatch(/3D view\. .*arrow keys/);
    expect(await canvas.evaluate((el) => getComputedStyle(el).animationName)).toBe('model-in'); // a fade: motion is allowed here
    // Keyboard: the canvas takes focus, and an arrow key turns the model (the pixels change).
    const before = await canvas.screenshot();
    await canvas.focus();
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('+');
    await expect.poll(async () => (await canvas.screenshot()).equals(before), { timeout: 10_000 }).toBe(false);
    expect(console).toEqual([]);
    await page.screenshot({ path: join(ARTIFACTS, 'viewer-3d.png') });
  });

  it('keeps the poster, with no canvas and a clean console, when WebGL is disabled', async () => {
    const { page, console, requests } = await open(['--disable-webgl']);
    await posterShown(page);
    await page.waitForFunction(() => document.querySelector('figure.model-stage')?.getAttribute('data-state') === 'no-webgl', null, {
      timeout: 30_000,
    });
    expect(await page.locator('figure.model-stage canvas').count()).toBe(0);
    expect(requests.filter((p) => p.endsWith('.glb'))).toEqual([]);
    expect(console).toEqual([]);
    await page.screenshot({ path: join(ARTIFACTS, 'viewer-no-webgl.png') });
  });

  it('keeps the poster and offers a retry when the model files fail to load', async () => {
    const { page, console } = await open([], (p) => p.route('**/*.glb', (route) => route.abort('connectionreset')));
    await posterShown(page);
    await page.waitForFunction(() => document.querySelector('figure.model-stage')?.getAttribute('data-state') === 'failed', null, {
      timeout: 60_000,
    });
    expect(await page.locator('figure.model-stage canvas').count()).toBe(0);
    expect(await page.locator('button.model-retry').isVisible()).toBe(true);
    // The aborted requests themselves are logged by chromium ("Failed to load resource"), not by the page's code.
    expect(console.filter((line) => !/Failed to load resource: net::ERR_CONNECTION_RESET/.test(line))).toEqual([]);
    await page.screenshot({ path: join(ARTIFACTS, 'viewer-assets-failing.png') });

    // The files are back; the shopper, who prefers reduced motion, presses Retry: the model shows, without a fade.
    await page.unroute('**/*.glb');
    await page.emulateMedia({ reducedMotion: 'reduce' });
    console.length = 0;
    await page.locator('button.model-retry').click();
    await page.waitForFunction(() => document.querySelector('figure.model-stage')?.getAttribute('data-state') === '3d', null, {
      timeout: 60_000,
    });
    expect(await page.locator('figure.model-stage canvas').count()).toBe(1);
    expect(await page.locator('figure.model-stage canvas').evaluate((el) => getComputedStyle(el).animationName)).toBe('none');
    expect(console).toEqual([]);
    await page.screenshot({ path: join(ARTIFACTS, 'viewer-retried.png') });
  });

  it('shows only the poster when ops switch 3D off', async () => {
    await stack.setAssetPolicy({ viewer3d: false });
    try {
      // The asset worker re-reads the policy every 0.5 s here: wait (bounded) until its manifest lists no level.
      const manifest = `${stack.edgeUrl}/models/wickerchair/manifest.json`;
      await expect
        .poll(async () => ((await (await fetch(manifest, { cache: 'no-store' })).json()) as { levels: unknown[] }).levels.length, {
          timeout: 20_000,
        })
        .toBe(0);
      const { page, console, requests } = await open();
      await posterShown(page);
      await page.waitForFunction(() => document.querySelector('figure.model-stage')?.getAttribute('data-state') === 'poster-only', null, {
        timeout: 30_000,
      });
      expect(await state(page)).toBe('poster-only');
      expect(await page.locator('figure.model-stage canvas').count()).toBe(0);
      expect(await page.locator('button.model-retry').count()).toBe(0);
      expect(requests.filter((p) => p.endsWith('.glb'))).toEqual([]);
      expect(console).toEqual([]);
      await page.screenshot({ path: join(ARTIFACTS, 'viewer-3d-off.png') });
    } finally {
      await stack.setAssetPolicy({ viewer3d: true });
    }
  });
});
