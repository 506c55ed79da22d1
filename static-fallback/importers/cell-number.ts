/** Numbers from CSV cells, strictly: `12.50` yes, `12,50`, `$12` or `abc` no. */

import { cell, type SourceRow } from './csv-records.ts';
import type { ImportIssue } from './import-issue.ts';
import { rowName } from './shopify-rows.ts';

const NUMBER_RE = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?$/i;

export interface NumberRule {
  /** Whole numbers only (quantities, positions). */
  integer?: boolean;
  /** An empty cell is an issue rather than "no value". */
  required?: boolean;
}

/**
 * The cell as a non-negative number; `undefined` when empty or invalid. An invalid cell adds an issue naming
 * the row and column.
 *
 * @example
 * cellNumber(row, 'Variant Inventory Qty', issues, { integer: true }); // 7, or undefined + issue for '-3'
 */
export function cellNumber(row: SourceRow, column: string, issues: ImportIssue[], rule: NumberRule = {}): number | undefined {
  const text = cell(row, column);
  const problem = (message: string) => {
    issues.push({ record: rowName(row), field: column, message });
    return undefined;
  };
  if (!text) return rule.required ? problem('missing') : undefined;
  const value = NUMBER_RE.test(text) ? Number(text) : Number.NaN;
  if (!Number.isFinite(value)) return problem(`not a number: ${JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text)}`);
  if (value < 0) return problem(`must not be negative (got ${text})`);
  if (rule.integer && !Number.isInteger(value)) return problem(`must be a whole number (got ${text})`);
  return value;
}
