/** Reads a caption-set file's bytes into CaptionRecords with the parser its format calls for. */

import { parseCocoCaptions } from './cocoCaptions';
import { CsvImportOptions, parseColumnCsv, parseJsonl } from './columnFormats';
import { DETECT_BYTES, detectFormat } from './detectFormat';
import { parseFlickrCsv, parseFlickrToken } from './flickrFormats';
import { CaptionRecord, IMPORT_FORMATS, ImportFormat, ImportParseError } from './importTypes';
import { decodeImportSource } from './sourceText';

export interface ParseSourceOptions {
  /** Skips detection. */
  readonly format?: ImportFormat;
  /** Columns (and CSV delimiter) of the generic CSV and JSONL formats. */
  readonly columns?: CsvImportOptions;
}

export interface ParsedSource {
  readonly format: ImportFormat;
  readonly records: CaptionRecord[];
}

/** Decodes (UTF-8 only), detects the format unless given, and parses; throws ImportParseError. */
export function parseCaptionSource(bytes: Uint8Array, fileName: string, options: ParseSourceOptions = {}): ParsedSource {
  const text = decodeImportSource(bytes, fileName);
  const format = options.format ?? detectFormat(fileName, text.slice(0, DETECT_BYTES));
  if (!format) {
    throw new ImportParseError(fileName, `cannot tell its format; choose one of ${IMPORT_FORMATS.join(', ')}`);
  }
  return { format, records: parseText(format, text, fileName, options.columns ?? {}) };
}

function parseText(format: ImportFormat, text: string, file: string, columns: CsvImportOptions): CaptionRecord[] {
  switch (format) {
    case 'flickr-csv':
      return parseFlickrCsv(text, file);
    case 'flickr-token':
      return parseFlickrToken(text, file);
    case 'coco-json':
      return parseCocoCaptions(text, file);
    case 'csv':
      return parseColumnCsv(text, file, columns);
    case 'jsonl':
      return parseJsonl(text, file, columns);
  }
}
