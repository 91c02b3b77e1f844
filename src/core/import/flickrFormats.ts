/** The two Flickr8k / Flickr30k caption files: `captions.txt` (CSV `image,caption`) and `*.token.txt` (`image#n<TAB>caption`). */

import { readCsvRows } from './csvTable';
import { CaptionRecord, ImportParseError } from './importTypes';
import { IndexCounter } from './indexCounter';

const TOKEN_LINE = /^(.+?)#(\d+)[\t ]+(.*)$/;

/**
 * Reads the CSV with header `image,caption`. A row with more fields is a caption with unquoted
 * commas: the image name never holds a comma, so the rest of the row is the caption.
 */
export function parseFlickrCsv(text: string, file: string): CaptionRecord[] {
  const [header, ...rows] = readCsvRows(text, file);
  if (!header) throw new ImportParseError(file, 'is empty; expected a header "image,caption"');
  const names = header.fields.map((f) => f.trim().toLowerCase());
  if (names.length !== 2 || names[0] !== 'image' || names[1] !== 'caption') {
    throw new ImportParseError(file, `expected the header "image,caption", found "${header.fields.join(',')}"`, header.line);
  }
  const index = new IndexCounter();
  return rows.map(({ fields, line }) => {
    const image = fields[0].trim();
    if (fields.length < 2 || image === '') {
      throw new ImportParseError(file, `expected "image,caption", found ${fields.length === 1 ? 'one field' : 'no image name'}`, line);
    }
    return { image, caption: fields.slice(1).join(',').trim(), index: index.next(image), line };
  });
}

/** Reads `1000268201_693b08cb0e.jpg#0<TAB>A child in a pink dress ...`; `#n` is the caption's index. */
export function parseFlickrToken(text: string, file: string): CaptionRecord[] {
  const records: CaptionRecord[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i];
    if (raw.trim() === '') continue;
    const match = TOKEN_LINE.exec(raw.trim());
    if (!match) {
      const shown = raw.length > 60 ? `${raw.slice(0, 60)}…` : raw;
      throw new ImportParseError(file, `expected "<image>#<n><TAB><caption>", found "${shown}"`, i + 1);
    }
    records.push({ image: match[1], caption: match[3].trim(), index: Number(match[2]), line: i + 1 });
  }
  return records;
}
