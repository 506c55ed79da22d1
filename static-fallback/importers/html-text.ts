/** HTML product copy (Shopify's `Body (HTML)`) → plain text; markup never survives as markup. */

const BLOCK_TAGS =
  'address|article|aside|blockquote|dd|div|dl|dt|figcaption|figure|footer|h[1-6]|header|hr|li|main|nav|ol|p|pre|section|table|td|th|tr|ul';
/** Tag patterns stop at the next `<`, which keeps them linear on hostile input. */
const BREAK_RE = new RegExp(`<\\/?(?:${BLOCK_TAGS})\\b[^<>]*>|<br\\b[^<>]*>`, 'gi');
const TAG_RE = /<\/?[a-z][^<>]*>/gi;
const HIDDEN_RE = /<!--[\s\S]*?(?:-->|$)|<(script|style|template)\b[\s\S]*?(?:<\/\1\s*>|$)/gi;
const ENTITY_RE = /&(?:#(\d{1,7})|#x([0-9a-f]{1,6})|([a-z][a-z0-9]{1,31}));/gi;

const NAMED = new Map<string, string>(
  Object.entries({
    amp: '&',
    lt: '<',
    gt: '>',
    quot: '"',
    apos: "'",
    nbsp: ' ',
    ndash: '–',
    mdash: '—',
    hellip: '…',
    lsquo: '‘',
    rsquo: '’',
    ldquo: '“',
    rdquo: '”',
    laquo: '«',
    raquo: '»',
    bull: '•',
    middot: '·',
    copy: '©',
    reg: '®',
    trade: '™',
    deg: '°',
    times: '×',
    euro: '€',
    pound: '£',
    yen: '¥',
    cent: '¢',
  }),
);

/**
 * Strips tags (and the content of `<script>`, `<style>` and comments), decodes the common entities, collapses
 * whitespace, and keeps paragraph, list-item and `<br>` breaks as single newlines.
 *
 * @example
 * htmlToText('<p>Solid oak.</p>\n<ul><li>Warranty: 1 year</li><li>Ships &amp; returns</li></ul>');
 * // 'Solid oak.\nWarranty: 1 year\nShips & returns'
 */
export function htmlToText(html: string): string {
  const text = html.replace(HIDDEN_RE, ' ').replace(/\s+/g, ' ').replace(BREAK_RE, '\n').replace(TAG_RE, '');
  return decodeEntities(text)
    .split('\n')
    .map((line) => line.replace(/\s+/g, ' ').trim())
    .filter(Boolean)
    .join('\n');
}

/**
 * Decodes numeric entities and the common named ones; unknown names are left as written.
 *
 * @example
 * decodeEntities('Fish &amp; chips &#8212; &#x2603; &bogus;'); // 'Fish & chips — ☃ &bogus;'
 */
export function decodeEntities(text: string): string {
  return text.replace(ENTITY_RE, (entity, dec: string | undefined, hex: string | undefined, name: string | undefined) => {
    if (name !== undefined) return NAMED.get(name.toLowerCase()) ?? entity;
    const code = dec !== undefined ? Number.parseInt(dec, 10) : Number.parseInt(hex ?? '', 16);
    const valid = code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff);
    return valid ? String.fromCodePoint(code) : '\ufffd';
  });
}
