/** Reading CSV (RFC 4180, via csv-parse) into rows that know the line they start on. */

import { parse, CsvError } from 'csv-parse/sync';
import { ImportParseError } from './importTypes';

export interface CsvRow {
  readonly fields: readonly string[];
  /** 1-based line where the row starts (a quoted field may span several lines). */
  readonly line: number;
}

export const CSV_DELIMITERS: readonly string[] = [',', '\t', ';', '|'];

/**
 * All rows of `text` ('\n' line breaks, no BOM), blank lines left out. Rows may differ in length:
 * the caller knows what a row should hold and says what is wrong with it.
 */
export function readCsvRows(text: string, file: string, delimiter = ','): CsvRow[] {
  let lastEndLine = 0;
  try {
    const parsed = parse(text, {
      delimiter,
      info: true,
      raw: true,
      relax_column_count: true,
      skip_empty_lines: true,
      on_record: (record, context) => {
        lastEndLine = context.lines;
        return record;
      },
    }) as unknown as Array<{ record: string[]; raw: string; info: { lines: number } }>;
    return parsed
      .map(({ record, raw, info }) => ({ fields: record, line: info.lines - lineBreaksInside(raw) }))
      .filter((row) => !row.fields.every((f) => f.trim() === ''));
  } catch (err) {
    if (err instanceof CsvError) throw csvError(err, text, file, lastEndLine);
    throw err;
  }
}

/** The delimiter used by a header line: the most frequent of `,` tab `;` `|` outside quotes, else `,`. */
export function sniffDelimiter(headerLine: string): string {
  const unquoted = headerLine.replace(/"[^"]*"/g, '');
  let best = ',';
  let bestCount = 0;
  for (const d of CSV_DELIMITERS) {
    const count = unquoted.split(d).length - 1;
    if (count > bestCount) [best, bestCount] = [d, count];
  }
  return best;
}

/** Line breaks inside a record's own text, without the blank lines before it or its terminator. */
function lineBreaksInside(raw: string): number {
  const body = raw.replace(/^\n+/, '').replace(/\n$/, '');
  return body.split('\n').length - 1;
}

/** Turns csv-parse's error into one naming the line where the faulty row starts and what is wrong. */
function csvError(err: CsvError, text: string, file: string, lastEndLine: number): ImportParseError {
  const info = err as CsvError & { lines?: number; column?: number | string };
  switch (err.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return new ImportParseError(file, 'unterminated quote: a quoted field opened in this row is never closed', rowStartAfter(text, lastEndLine));
    case 'CSV_INVALID_CLOSING_QUOTE': {
      // A row that reaches back several lines almost always has its quote left open where it starts.
      const start = rowStartAfter(text, lastEndLine);
      if (info.lines !== undefined && start < info.lines) {
        return new ImportParseError(file, `unterminated quote: the quoted field opened in this row runs on to line ${info.lines}; close it, or write a quote inside it as ""`, start);
      }
      return new ImportParseError(file, 'text after a closing quote; write a quote inside a quoted field as ""', info.lines);
    }
    case 'INVALID_OPENING_QUOTE':
      return new ImportParseError(file, 'a quote inside an unquoted field; quote the whole field and double the inner quote ("")', info.lines);
    default:
      return new ImportParseError(file, `not valid CSV (${err.message})`, info.lines);
  }
}

/** 1-based line of the first non-blank line after `line`. */
function rowStartAfter(text: string, line: number): number {
  const lines = text.split('\n');
  let i = line;
  while (i < lines.length && lines[i].trim() === '') i++;
  return i + 1;
}
