import { strict as assert } from 'node:assert';
import { autoSeparator, isCommaSeparated, mergeCaption } from '../../../src/core/captioning/captionMerge';

describe('captionMerge: how a generated caption meets the one on disk', () => {
  it('tells tag lists from sentences', () => {
    assert.equal(isCommaSeparated('1girl, solo, red hair'), true);
    assert.equal(isCommaSeparated('masterpiece, best quality,'), true);
    assert.equal(isCommaSeparated('A dog, running in a park.'), false);
    assert.equal(isCommaSeparated('A dog runs. It is happy, very happy'), false);
    assert.equal(isCommaSeparated('single phrase'), false);
    assert.equal(autoSeparator('1girl, solo', 'smile'), ', ');
    assert.equal(autoSeparator('tagged', 'smile, red hair'), ', ');
    assert.equal(autoSeparator('A cat on a mat.', 'red, blue'), ' ');
  });

  const golden: ReadonlyArray<readonly [string, Parameters<typeof mergeCaption>, string]> = [
    ['overwrite replaces the text', ['old text', ' A dog runs. ', 'overwrite'], 'A dog runs.'],
    ['overwrite keeps the trailing line break', ['old text\n', 'A dog runs.', 'overwrite'], 'A dog runs.\n'],
    ['append joins sentences with one space', ['A cat on a mat.', 'A dog runs.', 'append'], 'A cat on a mat. A dog runs.'],
    ['append never doubles spaces', ['A cat on a mat.   ', '  A dog runs.', 'append'], 'A cat on a mat. A dog runs.'],
    ['append joins tags with a comma', ['1girl, solo', 'smile, red hair', 'append'], '1girl, solo, smile, red hair'],
    ['append never doubles commas', ['1girl, solo,  ', ', smile', 'append'], '1girl, solo, smile'],
    ['append adds after the last line and keeps the final break', ['line one\nline two\n', 'more', 'append'], 'line one\nline two more\n'],
    ['prepend puts the new text first', ['1girl, solo', 'masterpiece', 'prepend'], 'masterpiece, 1girl, solo'],
    ['prepend joins sentences with a space', ['A cat.', 'Studio photo.', 'prepend'], 'Studio photo. A cat.'],
    ['a given separator is used as is', ['a', 'b', 'append', ' | '], 'a | b'],
    ['a given separator is not doubled', ['a |', '| b', 'append', ' | '], 'a | b'],
    ['a newline separator', ['first\n', 'second', 'append', '\n'], 'first\nsecond\n'],
    ['append to an empty caption is the new text', ['  \n', 'A dog.', 'append'], 'A dog.\n'],
    ['prepend to nothing is the new text', ['', 'A dog.', 'prepend'], 'A dog.'],
    ['empty generated text leaves the caption', ['keep me\n', '  ', 'append'], 'keep me\n'],
  ];
  for (const [name, args, expected] of golden) {
    it(name, () => assert.equal(mergeCaption(...args), expected));
  }
});
