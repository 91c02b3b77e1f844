/** What every caption-set parser produces, and the error it throws on input it cannot read. */

/** One caption of one image, as read from a caption-set file. */
export interface CaptionRecord {
  /** File name or relative path exactly as written in the source. */
  readonly image: string;
  readonly caption: string;
  /** The nth caption of this image (0-based: Flickr's `#n`, or order of appearance). */
  readonly index?: number;
  /** 1-based line in the source where the record starts (absent for whole-document JSON). */
  readonly line?: number;
}

export type ImportFormat = 'flickr-csv' | 'flickr-token' | 'coco-json' | 'csv' | 'jsonl';

export const IMPORT_FORMATS: readonly ImportFormat[] = ['flickr-csv', 'flickr-token', 'coco-json', 'csv', 'jsonl'];

/** Column (CSV) or key (JSONL) names; each one left out is detected from common names. */
export interface ColumnOptions {
  readonly imageColumn?: string;
  readonly captionColumn?: string;
}

/** Input that cannot be read as the chosen format; the message names the file, the line and the problem. */
export class ImportParseError extends Error {
  constructor(
    readonly file: string,
    readonly detail: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    const where = line === undefined ? '' : column === undefined ? `, line ${line}` : `, line ${line}, column ${column}`;
    super(`${file}${where}: ${detail}`);
    this.name = 'ImportParseError';
  }
}
