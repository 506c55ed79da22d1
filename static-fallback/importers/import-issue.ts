/**
 * What goes wrong while importing a catalog, said so a merchant can find and fix it:
 * which record, which source field, what is wrong with it.
 */

/**
 * One problem with one record of a catalog source.
 * - `record`: the record, readably: `products[3] (sku BEA-ESS-ESS-001)`, `row 17 (handle annibale-colombo-bed)`.
 * - `field`: the source field name: `price`, `Variant Price`, `images[0]`.
 */
export type ImportIssue = { record: string; field: string; message: string };

/**
 * One issue per line, `<file>: <record>: <field>: <message>` (without `<file>: ` when no file is given).
 * Line breaks inside a message are escaped so that every issue stays on one line.
 *
 * @example
 * formatIssues([{ record: 'row 3 (handle bed)', field: 'Variant Price', message: 'not a number: "abc"' }], 'shop.csv');
 * // 'shop.csv: row 3 (handle bed): Variant Price: not a number: "abc"'
 */
export function formatIssues(issues: readonly ImportIssue[], file?: string): string {
  const prefix = file === undefined ? '' : `${file}: `;
  return issues.map((i) => oneLine(`${prefix}${i.record}: ${i.field}: ${i.message}`)).join('\n');
}

/**
 * Thrown when a catalog cannot be imported as a whole; carries every issue, not just the first.
 *
 * @example
 * try { await loadCatalogFile('catalog.csv'); }
 * catch (err) { if (err instanceof CatalogImportError) console.error(err.message, err.issues.length); }
 */
export class CatalogImportError extends Error {
  override readonly name = 'CatalogImportError';
  readonly file: string | undefined;
  readonly issues: ImportIssue[];

  constructor(issues: readonly ImportIssue[], file?: string) {
    const count = `${issues.length} issue${issues.length === 1 ? '' : 's'}`;
    super(`catalog import failed${file === undefined ? '' : ` for ${file}`} with ${count}:\n${formatIssues(issues, file)}`);
    this.file = file;
    this.issues = [...issues];
  }
}

/**
 * A record label that is safe to print: plain identifiers as they are, anything else quoted and cut short.
 *
 * @example
 * labelValue('BEA-ESS-ESS-001'); // 'BEA-ESS-ESS-001'
 * labelValue('bad sku\n'); // '"bad sku\\n"'
 */
export function labelValue(value: string): string {
  return /^[A-Za-z0-9._-]{1,120}$/.test(value) ? value : JSON.stringify(value.length > 64 ? `${value.slice(0, 64)}…` : value);
}

function oneLine(text: string): string {
  return text.replace(/\r\n|\r|\n/g, '\\n');
}

/**
 * Issues in source order: by the first number in their record (`row 17`, `products[3]`), stably; records
 * without a number (`(document)`) first.
 *
 * @example
 * inSourceOrder([{ record: 'row 9', … }, { record: 'row 3 (handle bed)', … }]); // row 3 first
 */
export function inSourceOrder(issues: readonly ImportIssue[]): ImportIssue[] {
  const position = (issue: ImportIssue) => Number(/\d+/.exec(issue.record)?.[0] ?? -1);
  return [...issues].sort((a, b) => position(a) - position(b));
}
