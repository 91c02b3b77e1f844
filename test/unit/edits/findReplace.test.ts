import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeCaption } from '../../../src/core/captions/captionStore';
import { readCaptionSources } from '../../../src/core/captions/readCaptions';
import { EditOptionError } from '../../../src/core/edits/editPlan';
import { DatasetBoundary } from '../../../src/core/files/datasetBoundary';
import { InvalidPatternError, countMatches, findReplace } from '../../../src/core/edits/findReplace';
import { TempDirs } from '../helpers/tempTree';
import { afters, sources } from './sources';

const literal = { regex: false, caseSensitive: false, wholeWord: false };

describe('findReplace', () => {
  const temp = new TempDirs();
  after(() => temp.cleanup());

  it('replaces literal text case-insensitively, keeps the final line break of a CRLF caption, skips missing and empty captions', async () => {
    const input = sources({ crlf: 'A cat and a CAT.\n', other: 'a dog', empty: '', missing: undefined });
    const plan = findReplace(input, { ...literal, find: 'cat', replace: 'dog' });
    assert.deepEqual(plan.changes, [
      { captionPath: '/data/crlf.txt', imagePath: '/data/crlf.jpg', before: 'A cat and a CAT.\n', after: 'A dog and a dog.\n', matches: 2 },
    ]);
    assert.equal(plan.matches, 2);
    assert.equal(plan.unchanged, 3);
    assert.deepEqual(plan.deletions, []);
    assert.equal(plan.operation, 'Replace "cat" with "dog"');

    // The same caption as CRLF bytes on disk, read, planned and written the way the bulk edit applies a plan.
    const dir = await temp.make();
    const file = path.join(dir, 'crlf.txt');
    fs.writeFileSync(file, 'A cat and a CAT.\r\n');
    const boundary = DatasetBoundary.atSync(dir);
    const { sources: read } = await readCaptionSources([{ imagePath: path.join(dir, 'crlf.jpg'), captionPath: file }], boundary);
    const [change] = findReplace(read, { ...literal, find: 'cat', replace: 'dog' }).changes;
    assert.deepEqual([change.before, change.after], ['A cat and a CAT.\n', 'A dog and a dog.\n']);
    await writeCaption(file, change.after, boundary);
    assert.equal(fs.readFileSync(file, 'latin1'), 'A dog and a dog.\r\n');
  });

  it('matches case exactly when asked', () => {
    const plan = findReplace(sources({ a: 'Cat cat CAT' }), { ...literal, caseSensitive: true, find: 'cat', replace: 'dog' });
    assert.deepEqual(afters(plan), { a: 'Cat dog CAT' });
    assert.equal(plan.operation, 'Replace "cat" with "dog" (match case)');
  });

  it('folds case beyond ASCII', () => {
    assert.deepEqual(afters(findReplace(sources({ a: 'ÉCLAIR, éclair' }), { ...literal, find: 'Éclair', replace: 'tart' })), { a: 'tart, tart' });
  });

  it('finds whole words with Unicode letters as word characters, where \\b would match inside "café"', () => {
    const input = sources({ fr: 'café cafés caf café-bar\n', jp: '日本語 日本 の日本', emoji: '🐱🐱 cat🐱' });
    const options = { ...literal, wholeWord: true, replace: 'X' };
    assert.deepEqual(afters(findReplace(input, { ...options, find: 'caf' })), { fr: 'café cafés X café-bar\n' });
    assert.deepEqual(afters(findReplace(input, { ...options, find: 'café' })), { fr: 'X cafés caf X-bar\n' });
    assert.deepEqual(afters(findReplace(input, { ...options, find: '日本' })), { jp: '日本語 X の日本' });
    assert.deepEqual(afters(findReplace(input, { ...options, find: '🐱' })), { emoji: 'XX cat🐱' });
  });

  it('treats the find text literally outside regex mode, and the replacement too', () => {
    const plan = findReplace(sources({ a: 'a.b (c) axb (c)' }), { ...literal, find: 'a.b (c)', replace: '$1 $& $$' });
    assert.deepEqual(afters(plan), { a: '$1 $& $$ axb (c)' });
  });

  it('expands numbered and named groups, $& and $$ in regex mode', () => {
    const regex = { regex: true, caseSensitive: true, wholeWord: false };
    const input = sources({ a: 'a red car, a blue hat\n', b: 'red' });
    assert.deepEqual(afters(findReplace(input, { ...regex, find: '(red|blue) (car|hat)', replace: '$2 ($1)' })), { a: 'a car (red), a hat (blue)\n' });
    assert.deepEqual(afters(findReplace(input, { ...regex, find: '(?<color>red|blue) (?<thing>car|hat)', replace: '$<thing>:$<color>' })), {
      a: 'a car:red, a hat:blue\n',
    });
    assert.deepEqual(afters(findReplace(input, { ...regex, find: 'red', replace: '[$&] $$5' })), { a: 'a [red] $5 car, a blue hat\n', b: '[red] $5' });
  });

  it('anchors ^ and $ at each line, never after the final line break', () => {
    const plan = findReplace(sources({ a: 'line one\nline two\n' }), { regex: true, caseSensitive: true, wholeWord: false, find: '$', replace: '!' });
    assert.deepEqual(afters(plan), { a: 'line one!\nline two!\n' });
    assert.equal(plan.matches, 2);
  });

  it('counts empty matches the way String.replace makes them, never splitting an emoji', () => {
    const options = { regex: true, caseSensitive: true, wholeWord: false, find: '(?:)', replace: '-' };
    const plan = findReplace(sources({ a: '🐱a' }), options);
    assert.deepEqual(afters(plan), { a: '-🐱-a-' });
    assert.equal(plan.changes[0].matches, 3);
    assert.deepEqual(countMatches(sources({ a: '🐱a' }), options), { matches: 3, files: 1 });
  });

  it('counts matches but plans no change when the replacement equals the match', () => {
    const plan = findReplace(sources({ a: 'cat cat' }), { ...literal, find: 'cat', replace: 'cat' });
    assert.deepEqual(plan.changes, []);
    assert.equal(plan.matches, 2);
    assert.equal(plan.unchanged, 1);
  });

  it('gives a live count of matches and files without building new texts', () => {
    const input = sources({ a: 'cat cat', b: 'Cat', c: 'dog', d: undefined, e: '' });
    assert.deepEqual(countMatches(input, { ...literal, find: 'cat' }), { matches: 3, files: 2 });
    assert.deepEqual(countMatches(input, { ...literal, caseSensitive: true, find: 'cat' }), { matches: 2, files: 1 });
    assert.deepEqual(countMatches(input, { ...literal, find: 'bird' }), { matches: 0, files: 0 });
  });

  it('refuses an empty search and reports an invalid pattern with the engine message', () => {
    assert.throws(() => countMatches(sources({ a: 'x' }), { ...literal, find: '' }), EditOptionError);
    assert.throws(() => findReplace(sources({ a: 'x' }), { ...literal, find: '', replace: 'y' }), /Type the text to find/);
    assert.throws(
      () => findReplace(sources({ a: 'x' }), { regex: true, caseSensitive: false, wholeWord: false, find: '(red', replace: '' }),
      (err: unknown) => err instanceof InvalidPatternError && err instanceof EditOptionError && /Unterminated group/.test(err.engineMessage) && err.message.includes(err.engineMessage),
    );
    assert.doesNotThrow(() => findReplace(sources({ a: 'x' }), { ...literal, find: '(red', replace: '' }), 'the same text is fine as a literal');
  });
});
