/**
 * A QR code as vector rectangles: the `qrcode` package's module matrix, merged
 * into horizontal runs of dark modules, so a PDF draws it as a handful of
 * filled rectangles in one path (no PNG, no canvas, no seams between modules).
 *
 * @example
 * const qr = qrRuns('https://shop.example.com/p/lamp');
 * qr.size;     // 29 (modules per side, quiet zone not included)
 * qr.runs[0];  // { row: 0, col: 0, length: 7 } (the top-left finder pattern)
 * page.pushOperators(...qrOperators('https://shop.example.com/p/lamp', { x: 48, y: 48, size: 84, color: rgb(0, 0, 0) }));
 */
import { type Color, fill, type PDFOperator, popGraphicsState, pushGraphicsState, rectangle, setFillingColor } from 'pdf-lib';
import QRCode from 'qrcode';

/** `length` dark modules side by side, starting at `row`, `col` (row 0 is the top). */
export interface QrRun {
  row: number;
  col: number;
  length: number;
}

export interface QrRuns {
  /** Modules per side. */
  size: number;
  runs: QrRun[];
}

/** Modules of empty margin a reader needs around the symbol (ISO/IEC 18004). */
export const QR_QUIET_ZONE = 4;

/** The dark modules of the QR code of `text` (error correction M), row by row. */
export function qrRuns(text: string): QrRuns {
  const { size, data } = QRCode.create(text, { errorCorrectionLevel: 'M' }).modules;
  const runs: QrRun[] = [];
  for (let row = 0; row < size; row++) {
    let start = -1;
    for (let col = 0; col <= size; col++) {
      const dark = col < size && data[row * size + col] === 1;
      if (dark && start < 0) start = col;
      else if (!dark && start >= 0) {
        runs.push({ row, col: start, length: col - start });
        start = -1;
      }
    }
  }
  return { size, runs };
}

/** Where a QR symbol goes on a PDF page: lower-left corner and side in points, quiet zone outside that square. */
export interface QrPlacement {
  x: number;
  y: number;
  size: number;
  color: Color;
}

/**
 * PDF operators that fill the QR code of `text` as one path of rectangles;
 * `[]` when `text` cannot be encoded (empty, or beyond QR capacity).
 */
export function qrOperators(text: string, at: QrPlacement): PDFOperator[] {
  let qr: QrRuns;
  try {
    qr = qrRuns(text);
  } catch {
    return [];
  }
  const module = at.size / qr.size;
  const round = (n: number) => Math.round(n * 1000) / 1000;
  const top = at.y + at.size;
  const rects = qr.runs.map((r) =>
    rectangle(round(at.x + r.col * module), round(top - (r.row + 1) * module), round(r.length * module), round(module)),
  );
  return [pushGraphicsState(), setFillingColor(at.color), ...rects, fill(), popGraphicsState()];
}
