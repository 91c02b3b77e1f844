import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readCaptionSources } from '../../../src/core/captions/readCaptions';
import { applyPlannedCaption } from '../../../src/core/edits/applyPlannedCaption';
import { addTags, removeTags, renameTag } from '../../../src/core/edits/tagEdits';
import { mergeTagsIntoCaption } from '../../../src/core/tagging/tagMerge';
import { mergeCaption } from '../../../src/core/captioning/captionMerge';
import { sharedTags } from '../../../src/core/tagging/sharedTags';
import { DatasetBoundary } from '../../../src/core/files/datasetBoundary';
import type { EditPlan } from '../../../src/core/edits/editPlan';
import type { CaptionSource } from '../../../src/core/edits/editPlan';
import { TempDirs } from '../helpers/tempTree';

/**
 * A stranger's captions through the tag edits (Rename/Remove Everywhere, Add, a tagger's append):
 * bytes are read from disk, planned, written back, and compared byte for byte.
 */
describe('tag edits on hostile caption bytes', () => {
  const temp = new TempDirs();
  let root: string;
  let boundary: DatasetBoundary;
  beforeEach(async () => {
    root = await temp.make('ic-hostile-tags-');
    boundary = DatasetBoundary.atSync(root);
  });
  afterEach(() => temp.cleanup());

  /** Writes `<name>.png` and `<name>.txt` with these caption bytes; returns the pair. */
  const pair = (name: string, bytes: Buffer): { imagePath: string; captionPath: string } => {
    const imagePath = path.join(root, `${name}.png`);
    const captionPath = path.join(root, `${name}.txt`);
    fs.writeFileSync(imagePath, 'IMG');
    fs.writeFileSync(captionPath, bytes);
    return { imagePath, captionPath };
  };
  /** Reads the pairs as the bulk edits do, plans, applies every change; returns the bytes after. */
  const editOnDisk = async (files: Record<string, Buffer>, plan: (sources: CaptionSource[]) => EditPlan): Promise<{ after: Record<string, Buffer>; failures: string[] }> => {
    const pairs = Object.entries(files).map(([name, bytes]) => pair(name, bytes));
    const { sources, failures } = await readCaptionSources(pairs, boundary);
    for (const change of plan(sources).changes) await applyPlannedCaption(change.captionPath, (onDisk) => onDisk === change.before, change.after, boundary);
    const after = Object.fromEntries(Object.keys(files).map((name) => [name, fs.readFileSync(path.join(root, `${name}.txt`))]));
    return { after, failures: failures.map((f) => path.basename(f.captionPath)) };
  };
  const bytes = (text: string): Buffer => Buffer.from(text, 'utf8');
  const BOM = '\ufeff';

  it('never rewrites a caption that is not UTF-8 (Latin-1, UTF-16, NUL): it is left out and named', async () => {
    const latin1 = Buffer.from('caf\xe9, red hair\n', 'latin1');
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('red hair, cat', 'utf16le')]);
    const nul = Buffer.from('red hair\0, cat');
    for (const plan of [
      (s: CaptionSource[]) => renameTag(s, { from: 'red hair', to: 'auburn hair' }),
      (s: CaptionSource[]) => removeTags(s, { tags: ['red hair'], literal: true }),
      (s: CaptionSource[]) => addTags(s, { tags: ['new'], position: 'end' }),
    ]) {
      const { after, failures } = await editOnDisk({ latin1, utf16, nul, ok: bytes('red hair, cat\n') }, plan);
      assert.deepEqual(after.latin1, latin1);
      assert.deepEqual(after.utf16, utf16);
      assert.deepEqual(after.nul, nul);
      assert.deepEqual(failures.sort(), ['latin1.txt', 'nul.txt', 'utf16.txt']);
      assert.notDeepEqual(after.ok, bytes('red hair, cat\n'), 'the UTF-8 caption beside them is edited');
    }
  });

  it('keeps the BOM, CRLF and every trailing line break as they were (spaces before the first break are padding)', async () => {
    const cases: Record<string, [string, string]> = {
      bomCrlf: [`${BOM}red hair, cat\r\n`, `${BOM}auburn hair, cat\r\n`],
      crlfTwice: ['red hair, cat\r\n\r\n', 'auburn hair, cat\r\n\r\n'],
      lfTwice: ['red hair, cat\n\n', 'auburn hair, cat\n\n'],
      spaceThenLf: ['red hair, cat \n', 'auburn hair, cat\n'],
      noBreak: ['red hair, cat', 'auburn hair, cat'],
      bomOnly: [`${BOM}red hair`, `${BOM}auburn hair`],
      tabs: ['red hair,\tcat\t\n\t', 'auburn hair, cat\n\t'],
      emptyTags: ['a,,red hair, ,b\r\n', 'a, auburn hair, b\r\n'],
    };
    const files = Object.fromEntries(Object.entries(cases).map(([name, [before]]) => [name, bytes(before)]));
    const { after } = await editOnDisk(files, (s) => renameTag(s, { from: 'red hair', to: 'auburn hair' }));
    for (const [name, [, expected]] of Object.entries(cases)) assert.equal(after[name].toString('utf8'), expected, name);
  });

  it('leaves captions without the tag byte for byte, empty tags and whitespace included', async () => {
    const untouched = { emptyTags: bytes('a,,b\r\n'), blank: bytes('  \t\n\n'), empty: Buffer.alloc(0), bom: bytes(`${BOM}x, y\n`) };
    const { after } = await editOnDisk(untouched, (s) => removeTags(s, { tags: ['red hair'], literal: true }));
    assert.deepEqual(after, untouched);
  });

  it('adds to a whitespace-only caption keeping its line breaks', async () => {
    const { after } = await editOnDisk({ blank: bytes(' \r\n\r\n'), empty: Buffer.alloc(0) }, (s) => addTags(s, { tags: ['cat'], position: 'end' }));
    assert.equal(after.blank.toString('utf8'), 'cat\r\n\r\n');
    assert.equal(after.empty.toString('utf8'), 'cat');
  });

  it("a tagger's append and prepend keep the caption's trailing line breaks", () => {
    assert.equal(mergeTagsIntoCaption('a, b\n\n', ['c'], 'append'), 'a, b, c\n\n');
    assert.equal(mergeTagsIntoCaption('a,,b \n\n', ['c'], 'prepend'), 'c, a, b\n\n');
    assert.equal(mergeTagsIntoCaption('\t\n\n', ['c'], 'append'), 'c\n\n');
    assert.equal(mergeTagsIntoCaption('a, b', ['c'], 'overwrite'), 'c');
    assert.equal(mergeTagsIntoCaption('A cat on a mat.\n\n', ['c'], 'append'), 'A cat on a mat., c\n\n', 'a prose caption too');
    assert.equal(mergeCaption('A cat.\n\n', 'A dog.', 'append'), 'A cat. A dog.\n\n', "a captioner's append");
    assert.equal(mergeCaption('A cat.\n \n', 'A dog.', 'overwrite'), 'A dog.\n \n');
  });

  it('the shared-tags pane ignores empty tags and whitespace and counts tab-separated tags once', () => {
    const pane = sharedTags(['a,,b\n', ' a ,\tb \r', '  \t']);
    assert.deepEqual(pane.some, [{ tag: 'a', count: 2 }, { tag: 'b', count: 2 }]);
    assert.equal(pane.tagCaptions, 3);
  });
});
