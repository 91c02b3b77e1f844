/**
 * Booru tag lists in the a1111-sd-webui-tagcomplete CSV format: `name,category,count,"alias1,alias2"`,
 * no header (a header row is skipped as an odd row). Read with the project's CSV reader.
 */
import { readCsvRows } from '../import/csvTable';

/** One tag of the list. */
export interface BooruTag {
  readonly name: string;
  readonly category: number;
  readonly count: number;
  readonly aliases: readonly string[];
}

/** The tags read, and how many rows were left out (blank name, count not a number, not UTF-8 or binary). */
export interface BooruTagList {
  readonly tags: BooruTag[];
  readonly skipped: number;
  /** 1-based line of the first row left out, for the message. */
  readonly firstSkippedLine?: number;
}

/** The most a tag list file may hold: the full Danbooru list with aliases is under 10 MB. */
export const BOORU_LIST_MAX_BYTES = 64 * 1024 * 1024;

/**
 * Text no tag holds: U+FFFD is what decoding left of bytes that are not UTF-8 (a Latin-1 list would
 * propose "caf\ufffd"), control characters are binary. Such rows are left out and counted.
 */
const NOT_TAG_TEXT = /[\u0000-\u0008\u000b-\u001f\u007f\ufffd]/;

/** Parses a tag list; rows that are not a tag are counted, not fatal. Throws ImportParseError for text that is not CSV at all. */
export function parseBooruTagList(text: string, file: string): BooruTagList {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const rows = readCsvRows(body.includes('\r') ? body.replace(/\r\n?/g, '\n') : body, file);
  const tags: BooruTag[] = [];
  let skipped = 0;
  let firstSkippedLine: number | undefined;
  for (const row of rows) {
    const [rawName = '', rawCategory = '', rawCount = '', rawAliases = ''] = row.fields;
    const name = rawName.trim();
    const count = rawCount.trim() === '' ? 0 : Number(rawCount);
    if (name === '' || !Number.isFinite(count) || count < 0 || NOT_TAG_TEXT.test(name) || NOT_TAG_TEXT.test(rawAliases)) {
      skipped++;
      firstSkippedLine ??= row.line;
      continue;
    }
    const category = Number(rawCategory);
    const aliases = rawAliases.split(',').map((a) => a.trim()).filter((a) => a !== '' && a !== name);
    tags.push({ name, category: Number.isInteger(category) ? category : 0, count, aliases });
  }
  return { tags, skipped, firstSkippedLine };
}
