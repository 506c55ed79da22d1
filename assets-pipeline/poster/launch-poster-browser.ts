import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';

/** Debian's chromium: the only browser the pipeline needs (no `playwright install`). */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/**
 * Headless chromium without a GPU: ANGLE on SwiftShader gives a WebGL2 context on the CPU
 * (`--enable-unsafe-swiftshader` is required since Chrome 137 for that fallback); nothing talks to the network.
 */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--mute-audio',
] as const;

const INSTALL_HINT = "install Debian's chromium: apt-get install -y chromium";

/**
 * Launches chromium through playwright-core, loaded here so that only the poster step needs it.
 * Fails fast, with the fix in the message, when the browser or playwright-core is missing or cannot start.
 */
export async function launchPosterBrowser(executablePath = CHROMIUM_PATH): Promise<Browser> {
  if (!existsSync(executablePath)) throw new Error(`poster: chromium not found at ${executablePath}; ${INSTALL_HINT}`);
  let chromium: typeof import('playwright-core').chromium;
  try {
    ({ chromium } = await import('playwright-core'));
  } catch (error) {
    throw new Error(`poster: playwright-core cannot be loaded (${(error as Error).message}); install it: npm install playwright-core`);
  }
  try {
    return await chromium.launch({ executablePath, args: [...CHROMIUM_ARGS], timeout: 60_000 });
  } catch (error) {
    const first = (error as Error).message.split('\n')[0];
    throw new Error(
      `poster: chromium at ${executablePath} could not start (${first}); check that \`${executablePath} --headless --no-sandbox --version\` runs, or ${INSTALL_HINT}`,
    );
  }
}
