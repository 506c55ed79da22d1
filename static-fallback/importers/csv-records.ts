/**
 * CSV text → records keyed by header, each with its row number as a spreadsheet shows it (the header is row 1;
 * a record with line breaks inside quotes is still one row). Parse errors become issues on their row.
 */
import { type CsvError, parse } from 'csv-parse/sync';
import type { ImportIssue } from './import-issue.ts';

/** One CSV record and its row number. */
export interface SourceRow {
  row: number;
  cells: Record<string, string>;
}

/** The records read; `fatal` when the file cannot be trusted as a whole (an unterminated quote). */
export interface CsvRecords {
  rows: SourceRow[];
  issues: ImportIssue[];
  /** Rows left out because they could not be parsed (`row 7`). */
  skipped: string[];
  fatal: boolean;
}

/**
 * The value of a cell, trimmed; `''` when the column is absent.
 *
 * @example
 * cell({ row: 2, cells: { Title: ' Bed ' } }, 'Title'); // 'Bed'
 */
export function cell(row: SourceRow, column: string): string {
  return (row.cells[column] ?? '').trim();
}

/**
 * Parses with csv-parse (`columns: true`, strict column count, BOM tolerated). A record with too few or too many
 * cells or a stray quote is an issue and is left out; blank lines count as rows but are ignored.
 *
 * @example
 * readCsvRecords('Handle,Title\r\nbed,"Bed"\r\n').rows; // [{ row: 2, cells: { Handle: 'bed', Title: 'Bed' } }]
 */
export function readCsvRecords(text: string): CsvRecords {
  const result: CsvRecords = { rows: [], issues: [], skipped: [], fatal: false };
  let count = 0; // records so far, good or bad
  let last: { raw: string; lines: number; count: number } | undefined;
  const onSkip = (err: CsvError | undefined, raw: string | undefined): undefined => {
    const lines = Number(err?.lines);
    const rawText = raw ?? '';
    // csv-parse may report several errors for one record: same record = nothing emitted since, and the raw text
    // only grew by what was read on the lines in between.
    const grown = last !== undefined && last.count === count && rawText.startsWith(last.raw);
    if (grown && lines - (last?.lines ?? 0) === rawText.slice(last?.raw.length).split('\n').length - 1) return;
    count++;
    last = { raw: rawText, lines, count };
    const cells = Array.isArray(err?.record) ? err.record : [];
    if (err === undefined || (cells.length === 1 && cells[0] === '')) return; // a blank line
    const record = `row ${count + 1}`;
    const field = typeof err.column === 'string' ? err.column : 'CSV';
    result.skipped.push(record);
    if (err.code === 'CSV_QUOTE_NOT_CLOSED') {
      result.fatal = true;
      result.issues.push({
        record,
        field,
        message: `a quoted cell is never closed; the rest of the file (to line ${lines}) would be one cell`,
      });
    } else if (err.code === 'CSV_RECORD_INCONSISTENT_COLUMNS') {
      const header = Array.isArray(err.columns) ? err.columns.length : '?';
      result.issues.push({ record, field, message: `has ${cells.length} cells, the header has ${header}` });
    } else result.issues.push({ record, field, message: err.message });
  };
  try {
    parse<null, { record: Record<string, string> }>(text, {
      columns: true,
      bom: true,
      raw: true,
      skip_records_with_error: true,
      on_skip: onSkip,
      on_record: ({ record }) => {
        count++;
        result.rows.push({ row: count + 1, cells: record });
        return null;
      },
    });
  } catch (err) {
    result.fatal = true;
    result.issues.push({ record: `row ${count + 2}`, field: 'CSV', message: err instanceof Error ? err.message : String(err) });
  }
  return result;
}
