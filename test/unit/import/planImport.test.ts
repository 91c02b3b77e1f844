import { strict as assert } from 'node:assert';
import { parseFlickrCsv, parseFlickrToken } from '../../../src/core/import/flickrFormats';
import { CaptionRecord } from '../../../src/core/import/importTypes';
import { ImportOptions, ImportPlan, planImport } from '../../../src/core/import/planImport';
import { FLICKR_CAPTIONS, csvLineOf, flickrCsv, imagesAt } from './importFixtures';

const [IMG0, IMG1, IMG2] = FLICKR_CAPTIONS.map(([name]) => name);
const CAPS = FLICKR_CAPTIONS.map(([, captions]) => captions);
const records = parseFlickrCsv(flickrCsv(), 'captions.txt');

/** IMG0 without caption, IMG1 captioned, IMG2 with an empty caption file, and one image the source never names. */
const dataset = () => imagesAt({ [IMG0]: undefined, [IMG1]: 'An existing caption.', [IMG2]: '  \n', 'other.jpg': 'keep me' });

const plan = (opts: Partial<ImportOptions>, recs: readonly CaptionRecord[] = records, images = dataset()): ImportPlan =>
  planImport(recs, images, { which: 'first', conflict: 'skip', ...opts });

/** Each write as [relative caption path, before, after]. */
const writesOf = (p: ImportPlan): Array<[string, string | undefined, string]> =>
  p.writes.map((w) => [w.captionPath.replace('/data/', ''), w.before, w.after]);

const rec = (image: string, caption: string, extra: Partial<CaptionRecord> = {}): CaptionRecord => ({ image, caption, ...extra });

describe('import planImport: records to caption writes', () => {
  it('first caption, skip policy: fills missing and empty captions, leaves the captioned image alone', () => {
    const p = plan({ which: 'first', conflict: 'skip' });
    assert.deepEqual(writesOf(p), [
      ['1000268201_693b08cb0e.txt', undefined, CAPS[0][0]],
      ['1002674143_1b742ab4b8.txt', '  \n', `${CAPS[2][0]}\n`],
    ]);
    assert.deepEqual([p.unchanged, p.skippedExisting, p.unmatched, p.ambiguous], [0, 1, [], []]);
    assert.equal(p.writes[0].imagePath, `/data/${IMG0}`);
  });

  it('all captions, overwrite policy: five lines per image, replacing the existing caption', () => {
    const p = plan({ which: 'all', conflict: 'overwrite' });
    assert.deepEqual(writesOf(p), [
      ['1000268201_693b08cb0e.txt', undefined, CAPS[0].join('\n')],
      ['1001773457_577c3a7d70.txt', 'An existing caption.', CAPS[1].join('\n')],
      ['1002674143_1b742ab4b8.txt', '  \n', `${CAPS[2].join('\n')}\n`],
    ]);
    assert.equal(p.skippedExisting, 0);
  });

  it('caption index 2, append policy: joins after the existing sentence with one space', () => {
    const p = plan({ which: 2, conflict: 'append' });
    assert.deepEqual(writesOf(p), [
      ['1000268201_693b08cb0e.txt', undefined, 'A little girl, in pink, climbs into a wooden playhouse .'],
      ['1001773457_577c3a7d70.txt', 'An existing caption.',
        'An existing caption. A black dog and a white dog with brown spots are staring at each other in the street .'],
      ['1002674143_1b742ab4b8.txt', '  \n', 'A small girl in the grass plays with fingerpaints in front of a white canvas with a rainbow on it .\n'],
    ]);
  });

  it('picks index 2 by the #n written in the token file, not by position', () => {
    const token = parseFlickrToken('z.jpg#2\tchosen\nz.jpg#0\tfirst\nz.jpg#1\tsecond\n', 't.txt');
    assert.deepEqual(writesOf(plan({ which: 2 }, token, imagesAt({ 'z.jpg': undefined }))), [['z.txt', undefined, 'chosen']]);
    assert.deepEqual(writesOf(plan({ which: 'first' }, token, imagesAt({ 'z.jpg': undefined }))), [['z.txt', undefined, 'first']]);
    assert.deepEqual(writesOf(plan({ which: 'all' }, token, imagesAt({ 'z.jpg': undefined }))), [['z.txt', undefined, 'first\nsecond\nchosen']]);
  });

  it('all captions appended go on new lines, keeping the final line break', () => {
    const images = imagesAt({ [IMG1]: 'tag one, tag two\n' });
    assert.deepEqual(writesOf(plan({ which: 'all', conflict: 'append' }, records, images)), [
      ['1001773457_577c3a7d70.txt', 'tag one, tag two\n', `tag one, tag two\n${CAPS[1].join('\n')}\n`],
    ]);
  });

  it('an append separator can be chosen', () => {
    const images = imagesAt({ [IMG1]: 'old' });
    assert.deepEqual(writesOf(plan({ which: 0, conflict: 'append', separator: ' | ' }, records, images)), [
      ['1001773457_577c3a7d70.txt', 'old', `old | ${CAPS[1][0]}`],
    ]);
  });

  it('importing again with the same choices changes nothing, for every policy', () => {
    for (const conflict of ['skip', 'overwrite', 'append'] as const) {
      const first = plan({ which: 'first', conflict });
      const applied = dataset().map((img) => ({ ...img, existing: first.writes.find((w) => w.captionPath === img.captionPath)?.after ?? img.existing }));
      const again = plan({ which: 'first', conflict }, records, applied);
      assert.deepEqual([again.writes, again.unchanged, again.skippedExisting], [[], conflict === 'skip' ? 2 : 3, conflict === 'skip' ? 1 : 0], conflict);
    }
  });

  it('counts an image whose caption already reads as the import as unchanged, whatever the policy', () => {
    for (const conflict of ['skip', 'overwrite', 'append'] as const) {
      const p = plan({ which: 'first', conflict }, records, imagesAt({ [IMG0]: `${CAPS[0][0]}\n` }));
      assert.deepEqual([p.writes, p.unchanged, p.skippedExisting], [[], 1, 0], conflict);
    }
  });

  it('reports every unmatched row with its line, and an index no image has', () => {
    const withMissing = parseFlickrCsv(flickrCsv([...FLICKR_CAPTIONS, ['missing.jpg', ['a', 'b', 'c', 'd', 'e']]]), 'captions.txt');
    const p = plan({}, withMissing);
    assert.deepEqual(p.unmatched, [0, 1, 2, 3, 4].map((n) => csvLineOf(3, n)).map((line) => ({ image: 'missing.jpg', line, reason: 'no image with this path or file name' })));
    const noIndex = plan({ which: 7 }, records, imagesAt({ [IMG0]: undefined, [IMG1]: undefined, [IMG2]: undefined }));
    assert.deepEqual(noIndex.unmatched, [IMG0, IMG1, IMG2].map((image, i) => (
      { image, line: csvLineOf(i, 0), reason: 'has no caption with index 7 (indexes found: 0, 1, 2, 3, 4)' })));
    assert.deepEqual(noIndex.writes, []);
  });

  it('reports a file name shared by several images as ambiguous, with the candidates', () => {
    const images = imagesAt({ 'cats/a.jpg': undefined, 'dogs/a.jpg': undefined });
    const p = plan({}, [rec('a.jpg', 'which one?', { line: 4 }), rec('elsewhere/a.jpg', 'still unclear', { line: 5 })], images);
    assert.deepEqual(p.ambiguous, [
      { image: 'a.jpg', line: 4, candidates: ['cats/a.jpg', 'dogs/a.jpg'] },
      { image: 'elsewhere/a.jpg', line: 5, candidates: ['cats/a.jpg', 'dogs/a.jpg'] },
    ]);
    assert.deepEqual(p.writes, []);
  });

  it('matches by relative path in nested folders, including paths with more folders or backslashes', () => {
    const images = imagesAt({ 'cats/a.jpg': undefined, 'dogs/a.jpg': undefined, 'train/deep/b.png': undefined, 'c.jpg': undefined });
    const p = plan({}, [
      rec('dogs/a.jpg', 'a dog'),
      rec('Flickr/data/cats/a.jpg', 'a cat'),
      rec('train\\deep\\b.png', 'b'),
      rec('./c.jpg', 'c'),
    ], images);
    assert.deepEqual(writesOf(p), [
      ['cats/a.txt', undefined, 'a cat'],
      ['dogs/a.txt', undefined, 'a dog'],
      ['train/deep/b.txt', undefined, 'b'],
      ['c.txt', undefined, 'c'],
    ]);
  });

  it('matches a file name found in another folder when the name is unique', () => {
    const p = plan({}, [rec('Images/1000268201_693b08cb0e.jpg', 'x')], imagesAt({ 'flickr8k/1000268201_693b08cb0e.jpg': undefined }));
    assert.deepEqual(writesOf(p), [['flickr8k/1000268201_693b08cb0e.txt', undefined, 'x']]);
  });

  it('matches x.jpg to x.png only with matchStem, and reports stems shared by several images', () => {
    const images = imagesAt({ 'x.png': undefined, 'y.png': undefined, 'y.webp': undefined });
    const source = [rec('x.jpg', 'ex', { line: 2 }), rec('y.jpg', 'why', { line: 3 })];
    const strict = plan({}, source, images);
    assert.deepEqual(strict.unmatched, [
      { image: 'x.jpg', line: 2, reason: 'no image with this path or file name' },
      { image: 'y.jpg', line: 3, reason: 'no image with this path or file name' },
    ]);
    const loose = plan({ matchStem: true }, source, images);
    assert.deepEqual(writesOf(loose), [['x.txt', undefined, 'ex']]);
    assert.deepEqual(loose.ambiguous, [{ image: 'y.jpg', line: 3, candidates: ['y.png', 'y.webp'] }]);
  });

  it('passes over empty captions and reports an image that has only empty ones', () => {
    const source = [rec('a.jpg', '', { index: 0, line: 2 }), rec('a.jpg', 'real', { index: 1, line: 3 }), rec('b.jpg', '  ', { index: 0, line: 4 })];
    const p = plan({ which: 'first' }, source, imagesAt({ 'a.jpg': undefined, 'b.jpg': 'kept' }));
    assert.deepEqual(writesOf(p), [['a.txt', undefined, 'real']]);
    assert.deepEqual(p.unmatched, [{ image: 'b.jpg', line: 4, reason: 'has only empty captions' }]);
    const byIndex = plan({ which: 0 }, source.slice(0, 2), imagesAt({ 'a.jpg': undefined }));
    assert.deepEqual(byIndex.unmatched, [{ image: 'a.jpg', line: 2, reason: 'caption with index 0 is empty' }]);
  });

  it('keeps unicode and puts a multi-line caption on one line when importing all', () => {
    const source = [rec('a.jpg', 'café 猫 🐈', { index: 0 }), rec('a.jpg', 'two\nlines', { index: 1 })];
    assert.deepEqual(writesOf(plan({ which: 'all' }, source, imagesAt({ 'a.jpg': undefined }))), [['a.txt', undefined, 'café 猫 🐈\ntwo lines']]);
    assert.deepEqual(writesOf(plan({ which: 1 }, source, imagesAt({ 'a.jpg': undefined }))), [['a.txt', undefined, 'two\nlines']]);
  });
});
