/** Generic caption tables: CSV with a header row and JSONL with one object per line, columns configurable. */

import { readCsvRows, sniffDelimiter } from './csvTable';
import { resolveColumns } from './columnNames';
import { CaptionRecord, ColumnOptions, ImportParseError } from './importTypes';
import { IndexCounter } from './indexCounter';
import { jsonTypeOf, parseJsonAt } from './jsonErrors';

export interface CsvImportOptions extends ColumnOptions {
  /** Field separator; detected from the header line (`,` tab `;` `|`) when left out. */
  readonly delimiter?: string;
}

/** Reads a CSV whose header names the image and caption columns. */
export function parseColumnCsv(text: string, file: string, options: CsvImportOptions = {}): CaptionRecord[] {
  const delimiter = options.delimiter ?? sniffDelimiter(text.split('\n', 1)[0]);
  const [header, ...rows] = readCsvRows(text, file, delimiter);
  if (!header) throw new ImportParseError(file, 'is empty; expected a header row naming the image and caption columns');
  const names = header.fields.map((f) => f.trim());
  const columns = resolveColumns(names, options, 'column');
  if ('problem' in columns) throw new ImportParseError(file, columns.problem, header.line);
  const imageAt = names.indexOf(columns.image);
  const captionAt = names.indexOf(columns.caption);
  const index = new IndexCounter();
  return rows.map(({ fields, line }) => {
    const needed = Math.max(imageAt, captionAt) + 1;
    if (fields.length < needed) {
      throw new ImportParseError(file, `row has ${fields.length} field(s); column "${names[needed - 1]}" is field ${needed}`, line);
    }
    const image = fields[imageAt].trim();
    if (image === '') throw new ImportParseError(file, `empty "${columns.image}"`, line);
    return { image, caption: fields[captionAt].trim(), index: index.next(image), line };
  });
}

/** Reads JSON Lines; a caption that is an array of strings gives one record per string. */
export function parseJsonl(text: string, file: string, options: ColumnOptions = {}): CaptionRecord[] {
  const records: CaptionRecord[] = [];
  const index = new IndexCounter();
  let columns: { image: string; caption: string } | undefined;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = i + 1;
    if (lines[i].trim() === '') continue;
    const row = parseJsonAt(lines[i], file, line);
    if (typeof row !== 'object' || row === null || Array.isArray(row)) {
      throw new ImportParseError(file, `expected one JSON object per line, found ${jsonTypeOf(row)}`, line);
    }
    const values = row as Record<string, unknown>;
    if (!columns) {
      const resolved = resolveColumns(Object.keys(values), options, 'key');
      if ('problem' in resolved) throw new ImportParseError(file, resolved.problem, line);
      columns = resolved;
    }
    const image = values[columns.image];
    if (typeof image !== 'string' || image.trim() === '') {
      const found = image === undefined ? 'is missing' : `is ${jsonTypeOf(image)}`;
      throw new ImportParseError(file, `"${columns.image}" ${found}, expected a file name`, line);
    }
    for (const caption of captionsOf(values[columns.caption], columns.caption, file, line)) {
      records.push({ image: image.trim(), caption, index: index.next(image.trim()), line });
    }
  }
  return records;
}

function captionsOf(value: unknown, key: string, file: string, line: number): string[] {
  if (typeof value === 'string') return [value.trim()];
  if (value === null) return [''];
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value.map((v: string) => v.trim());
  const found = value === undefined ? 'is missing' : `is ${jsonTypeOf(value)}`;
  throw new ImportParseError(file, `"${key}" ${found}, expected a string or an array of strings`, line);
}
