import { readFileSync } from 'node:fs';

/** The mirror's own browser scripts, copied into the folder under /assets. */
export const CLIENT_SCRIPTS = {
  search: { sitePath: '/assets/search.js', source: () => readFileSync(new URL('./client/search-client.js', import.meta.url), 'utf8') },
  quote: { sitePath: '/assets/quote.js', source: () => readFileSync(new URL('./client/quote-client.js', import.meta.url), 'utf8') },
} as const;
