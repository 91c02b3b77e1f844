/** A WD tagger's label file, `selected_tags.csv`: one row per model output (tag_id, name, category, count). */
import { readRegularFile } from '../files/regularFile';
import { readCsvRows } from '../import/csvTable';

/** Booru categories the WD taggers use: 0 general, 4 character, 9 rating. */
export type TagCategory = 'general' | 'character' | 'rating';

export interface TaggerLabel {
  readonly name: string;
  readonly category: TagCategory;
}

export interface SelectedTags {
  /** One per model output, in output order; a bad row keeps its slot (as undefined) so later outputs keep their labels. */
  readonly labels: ReadonlyArray<TaggerLabel | undefined>;
  /** Rows that were left out, by 1-based line, with why. */
  readonly problems: ReadonlyArray<{ readonly line: number; readonly reason: string }>;
}

/** The real files are ~300 KB (10,861 tags); anything past this is not a label file. */
export const MAX_SELECTED_TAGS_BYTES = 8 * 1024 * 1024;

const CATEGORIES: Readonly<Record<string, TagCategory>> = { '0': 'general', '4': 'character', '9': 'rating' };

/** Parses the CSV text; the header row names the `name` and `category` columns (SmilingWolf's order when absent). */
export function parseSelectedTags(text: string, file = 'selected_tags.csv'): SelectedTags {
  const rows = readCsvRows(text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n'), file);
  if (rows.length === 0) throw new Error(`${file} lists no tags`);
  const header = rows[0].fields.map((f) => f.trim().toLowerCase());
  const hasHeader = header.includes('name');
  const nameAt = hasHeader ? header.indexOf('name') : 1;
  const categoryAt = hasHeader ? header.indexOf('category') : 2;
  if (categoryAt < 0) throw new Error(`${file} has no "category" column (its header is: ${rows[0].fields.join(',').slice(0, 200)})`);
  const labels: Array<TaggerLabel | undefined> = [];
  const problems: Array<{ line: number; reason: string }> = [];
  for (const row of hasHeader ? rows.slice(1) : rows) {
    const name = row.fields[nameAt]?.trim() ?? '';
    const code = row.fields[categoryAt]?.trim() ?? '';
    const category = CATEGORIES[code];
    if (!name) problems.push({ line: row.line, reason: 'no tag name' });
    else if (!category) problems.push({ line: row.line, reason: `category "${code.slice(0, 20)}" is none of 0 (general), 4 (character), 9 (rating)` });
    labels.push(name && category ? { name, category } : undefined);
  }
  return { labels, problems };
}

/** Reads and parses a label file with a size limit (a regular file only: no FIFO, no device). */
export async function readSelectedTags(file: string): Promise<SelectedTags> {
  const bytes = await readRegularFile(file, MAX_SELECTED_TAGS_BYTES);
  if (!bytes) throw new Error(`${file} does not exist`);
  return parseSelectedTags(bytes.toString('utf8'), file);
}
