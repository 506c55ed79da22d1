/**
 * Text for pdf-lib's standard fonts (Helvetica & co.), which encode WinAnsi
 * (CP1252) only: any other character makes `drawText` throw. `toWinAnsi` keeps
 * what WinAnsi has, folds the rest to a close form (NFKD without accents,
 * `ﬁ` → `fi`, `Ａ` → `A`, `−` → `-`) and turns what is left (CJK, Arabic,
 * Hebrew, emoji, ...) into one `?` per run. Control and format characters go.
 *
 * @example
 * toWinAnsi('Crème brûlée\tpot 🍮 ½ L');  // 'Crème brûlée pot ? ½ L'
 * toWinAnsi('Łódź 日本');                 // 'Lódz ?'
 * wrapText('a long line', 40, measurer(helvetica, 10));  // ['a long', 'line']
 */
import type { PDFFont } from 'pdf-lib';

/** The 27 printable CP1252 characters of 0x80–0x9F (everything else is ASCII or Latin-1). */
const CP1252_EXTRAS = '€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ';
const WIN_ANSI = new Set<number>([...CP1252_EXTRAS].map((c) => c.codePointAt(0)!));
for (let c = 0x20; c <= 0x7e; c++) WIN_ANSI.add(c);
for (let c = 0xa0; c <= 0xff; c++) WIN_ANSI.add(c);

/** Close forms NFKD does not give: letters without a decomposition, dashes, quotes, symbols (char for char). */
const FOLD_CHARS: ReadonlyArray<readonly [string, string]> = [
  ['łŁđĐıħĦŧŦŋŊĸ', 'lLdDihHtTnNk'],
  ['\u2010\u2011\u2012\u2015\u2212\u2043', '------'],
  ['\u201b\u2032\u201f\u2033\u2044\u2215', '\'\'""//'],
  ['\u2248\u223c\u2217\u2219\u22c5\u25cf\u2713\u2714', '~~*··•vv'],
];
/** Symbols whose close form is several characters. */
const FOLD_WORDS: ReadonlyArray<readonly [string, string]> = [
  ['\u2190', '<-'],
  ['\u2192', '->'],
  ['\u2194', '<->'],
  ['\u21d2', '=>'],
  ['\u2264', '<='],
  ['\u2265', '>='],
  ['\u2260', '!='],
  ['\u2116', 'No.'],
];
const FOLD = new Map<string, string>(FOLD_WORDS);
for (const [from, to] of FOLD_CHARS) {
  [...from].forEach((ch, i) => {
    FOLD.set(ch, to[i]!);
  });
}

const LINE_BREAK_RE = /[\t\n\v\f\r\u0085\u2028\u2029]/;
const DROP_RE = /^[\p{Cc}\p{Cf}\p{M}]$/u;
const MARKS_RE = /\p{M}/gu;

/** True when `text` can be drawn as is with a standard font. */
export function isWinAnsi(text: string): boolean {
  for (const ch of text) if (!WIN_ANSI.has(ch.codePointAt(0)!)) return false;
  return true;
}

/** One character → its WinAnsi form; `''` drops it, `undefined` means "no close form". */
function foldChar(ch: string): string | undefined {
  const code = ch.codePointAt(0)!;
  if (code === 0xa0) return ' ';
  if (code === 0xad) return '';
  if (WIN_ANSI.has(code)) return ch;
  if (LINE_BREAK_RE.test(ch)) return ' ';
  if (DROP_RE.test(ch)) return '';
  const folded = FOLD.get(ch);
  if (folded !== undefined) return folded;
  const decomposed = ch.normalize('NFKD').replace(MARKS_RE, '');
  if (decomposed === ch || decomposed === '') return undefined;
  let out = '';
  for (const part of decomposed) {
    const p = WIN_ANSI.has(part.codePointAt(0)!) ? part : FOLD.get(part);
    if (p === undefined) return undefined;
    out += p;
  }
  return out;
}

/**
 * Single-line WinAnsi text: whitespace runs collapse to one space, ends trimmed,
 * each run of characters without a close form becomes one `?`.
 */
export function toWinAnsi(text: string): string {
  let out = '';
  let inUnknownRun = false;
  for (const ch of text.normalize('NFC')) {
    const folded = foldChar(ch);
    if (folded === undefined) {
      if (!inUnknownRun) out += '?';
      inUnknownRun = true;
    } else if (folded !== '') {
      out += folded;
      inUnknownRun = false;
    }
  }
  return out.replace(/ {2,}/g, ' ').trim();
}

/** Paragraphs of a multi-line text (blank lines separate them), each single-line WinAnsi; empty ones dropped. */
export function toWinAnsiParagraphs(text: string): string[] {
  return text
    .replace(/\r\n?/g, '\n')
    .split(/\n[ \t]*\n/)
    .map(toWinAnsi)
    .filter((p) => p !== '');
}

/** Width of a string in points, e.g. `(s) => font.widthOfTextAtSize(s, 10)`. */
export type Measure = (text: string) => number;

/** Widths of standard-font characters at size 1, shared by all documents (the fonts never change). */
const WIDTHS = new Map<string, Map<string, number>>();

/** Additive width of WinAnsi text in `font` at `size`, cached per character (drawText does not kern, nor does this). */
export function measurer(font: PDFFont, size: number): Measure {
  const table = WIDTHS.get(font.name) ?? new Map<string, number>();
  WIDTHS.set(font.name, table);
  return (text) => {
    let width = 0;
    for (const ch of text) {
      let w = table.get(ch);
      if (w === undefined) {
        w = font.widthOfTextAtSize(ch, 1);
        table.set(ch, w);
      }
      width += w;
    }
    return width * size;
  };
}

/** Greedy word wrap to `maxWidth`; a word wider than a line is broken between characters. */
export function wrapText(text: string, maxWidth: number, measure: Measure): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (word === '') continue;
    const candidate = line === '' ? word : `${line} ${word}`;
    if (measure(candidate) <= maxWidth) {
      line = candidate;
      continue;
    }
    if (line !== '') lines.push(line);
    line = '';
    for (const ch of word) {
      if (line !== '' && measure(line + ch) > maxWidth) {
        lines.push(line);
        line = '';
      }
      line += ch;
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}

/**
 * `text` cut to fit `maxWidth`, ending with `…` when cut (or always, with `ellipsis: 'always'`).
 * `measure` must be additive (sum of character widths), which a kerning-free standard font is.
 */
export function fitWidth(text: string, maxWidth: number, measure: Measure, ellipsis: 'when-cut' | 'always' = 'when-cut'): string {
  if (ellipsis === 'when-cut' && measure(text) <= maxWidth) return text;
  const room = maxWidth - measure('…');
  let width = 0;
  let cut = '';
  for (const ch of text) {
    width += measure(ch);
    if (width > room) break;
    cut += ch;
  }
  return `${cut.trimEnd()}…`;
}
