import type { JSX } from 'hono/jsx/jsx-runtime';

/** Renders a template to a full HTML document string (the same bytes for edge and mirror). */
export async function renderPage(element: JSX.Element): Promise<string> {
  return `<!doctype html>${await element.toString()}`;
}
