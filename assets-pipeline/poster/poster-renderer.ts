import type { Browser, Page } from 'playwright-core';
import { encodePosterWebp } from './encode-poster-webp.ts';
import { launchPosterBrowser } from './launch-poster-browser.ts';
import { POSTER_ORIGIN, posterPageResponse } from './poster-page.ts';

export interface PosterOptions {
  /** Edge of the square poster, in px. */
  size: number;
  /** How long one poster may take (load, decode, render), in ms, before it rejects. */
  timeoutMs: number;
}

export const POSTER_DEFAULTS: PosterOptions = { size: 1024, timeoutMs: 60_000 };

/** The largest poster edge: SwiftShader renders on the CPU, and 4096² is already 16 Mpx. */
export const MAX_POSTER_SIZE = 4096;
const PAGE_READY_MS = 30_000;

export interface PosterRenderer {
  /** Renders a GLB (meshopt, quantized, WebP textures welcome) to a square WebP with alpha. */
  render(glb: Uint8Array, options?: Partial<PosterOptions>): Promise<{ webp: Uint8Array; width: number; height: number }>;
  /** Closes the browser; renders still queued reject. */
  close(): Promise<void>;
}

/**
 * Opens one headless chromium (WebGL2 through SwiftShader, no GPU needed) with the poster page loaded, kept open
 * for every poster of a build. Renders are queued: one page, one model at a time.
 *
 * @example
 * const posters = await openPosterRenderer();
 * try {
 *   const { webp, width, height } = await posters.render(glbBytes, { size: 1024 });
 * } finally {
 *   await posters.close();
 * }
 */
export async function openPosterRenderer(options: { executablePath?: string } = {}): Promise<PosterRenderer> {
  const browser = await launchPosterBrowser(options.executablePath);
  const models = new Map<string, Uint8Array>();
  let page: Page | undefined;
  try {
    page = await openPage(browser, models);
  } catch (error) {
    await browser.close();
    throw error;
  }
  let queue: Promise<unknown> = Promise.resolve();
  let closed = false;
  let count = 0;

  async function renderOne(glb: Uint8Array, o: PosterOptions) {
    if (closed) throw new Error('poster: the renderer is closed');
    page ??= await openPage(browser, models);
    const current = page;
    const modelPath = `/model-${++count}.glb`;
    models.set(modelPath, glb);
    let timer: NodeJS.Timeout | undefined;
    let timedOut = false;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        timedOut = true;
        reject(new Error(`poster: rendering took longer than ${o.timeoutMs} ms (timeoutMs) and was abandoned`));
      }, o.timeoutMs);
    });
    try {
      const dataUrl = await Promise.race([
        current.evaluate(([url, size]) => window.__poster.render(url, size), [modelPath, o.size] as const),
        timeout,
      ]);
      return await encodePosterWebp(Buffer.from(dataUrl.slice(dataUrl.indexOf(',') + 1), 'base64'), o.size);
    } catch (error) {
      // A timed-out or crashed page may still be busy or gone: drop it, the next render opens a fresh one.
      if (page === current && (timedOut || !(await isPageReady(current)))) {
        page = undefined;
        await current.close().catch(() => {});
      }
      throw pageError(error);
    } finally {
      clearTimeout(timer);
      models.delete(modelPath);
    }
  }

  return {
    render(glb, overrides = {}) {
      const o = { ...POSTER_DEFAULTS, ...overrides };
      const invalid = checkInput(glb, o);
      if (invalid) return Promise.reject(new Error(`poster: ${invalid}`));
      const job = queue.then(() => renderOne(glb, o));
      queue = job.catch(() => {});
      return job;
    },
    async close() {
      closed = true;
      await browser.close();
    },
  };
}

async function openPage(browser: Browser, models: ReadonlyMap<string, Uint8Array>): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 64, height: 64 } });
  await page.route('**/*', async (route) => {
    const url = new URL(route.request().url());
    if (url.origin !== POSTER_ORIGIN) return route.abort('blockedbyclient');
    const { status, contentType, body } = await posterPageResponse(url.pathname, models);
    return route.fulfill({ status, contentType, body: typeof body === 'string' ? body : Buffer.from(body) });
  });
  await page.goto(`${POSTER_ORIGIN}/`);
  try {
    await page.waitForFunction(() => window.__posterReady === true || window.__posterError !== undefined, null, {
      timeout: PAGE_READY_MS,
      polling: 50,
    });
  } catch {
    await page.close();
    throw new Error(`poster: the poster page did not start within ${PAGE_READY_MS} ms (three.js or WebGL2 did not come up)`);
  }
  const failure = await page.evaluate(() => window.__posterError);
  if (failure !== undefined) {
    await page.close();
    throw new Error(`poster: the poster page could not start: ${failure}`);
  }
  return page;
}

function isPageReady(page: Page): Promise<boolean> {
  return page.evaluate(() => window.__posterReady === true).catch(() => false);
}

/** Playwright wraps page exceptions as "page.evaluate: Error: <message>\n<stack>": keep the message only. */
function pageError(error: unknown): Error {
  const text = error instanceof Error ? error.message : String(error);
  if (text.startsWith('poster:')) return error instanceof Error ? error : new Error(text);
  const message = text.replace(/^page\.evaluate: (Error: )?/, '').split('\n')[0];
  return new Error(`poster: ${message}`);
}

function checkInput(glb: Uint8Array, o: PosterOptions): string | undefined {
  if (!Number.isInteger(o.size) || o.size < 16 || o.size > MAX_POSTER_SIZE)
    return `size must be an integer from 16 to ${MAX_POSTER_SIZE} px, got ${o.size}`;
  if (!(o.timeoutMs > 0)) return `timeoutMs must be positive, got ${o.timeoutMs}`;
  if (glb.byteLength < 20) return `the input is not a GLB (${glb.byteLength} bytes, shorter than a GLB header)`;
  const magic = Buffer.from(glb.subarray(0, 4)).toString('latin1');
  if (magic !== 'glTF') return `the input is not a GLB (expected magic "glTF", found ${JSON.stringify(magic)})`;
  const declared = new DataView(glb.buffer, glb.byteOffset, glb.byteLength).getUint32(8, true);
  if (declared > glb.byteLength) return `the GLB is truncated: its header says ${declared} bytes, got ${glb.byteLength}`;
  return undefined;
}

declare global {
  interface Window {
    __poster: { render(url: string, size: number): Promise<string> };
    __posterReady?: boolean;
    __posterError?: string;
  }
}
