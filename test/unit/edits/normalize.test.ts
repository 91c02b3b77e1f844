import { strict as assert } from 'node:assert';
import { EditOptionError } from '../../../src/core/edits/editPlan';
import { normalize } from '../../../src/core/edits/normalize';
import { afters, sources } from './sources';

describe('normalize', () => {
  const input = sources({
    padded: '  a cat  \n\n',
    spaced: 'a  \t cat \n  on\n\n\n\nthe mat',
    oldMac: 'line one\rline two\n',
    blank: '   \n',
    empty: '',
    clean: 'A café 日本語 🐱\n',
    missing: undefined,
  });

  it('trims around the caption, keeping one final line break', () => {
    const plan = normalize(input, { trim: true });
    assert.deepEqual(afters(plan), { padded: 'a cat\n', blank: '' });
    assert.deepEqual(plan.deletions, []);
    assert.equal(plan.unchanged, 5);
  });

  it('collapses runs of spaces and blank lines', () => {
    assert.deepEqual(afters(normalize(input, { collapseWhitespace: true })), { padded: ' a cat\n\n', spaced: 'a cat\non\n\nthe mat', blank: '\n' });
  });

  it('turns a lone carriage return into a line break', () => {
    assert.deepEqual(afters(normalize(input, { fixLineEndings: true })), { oldMac: 'line one\nline two\n' });
  });

  it('plans deleting blank captions when asked, leaving missing files alone', () => {
    const plan = normalize(input, { trim: true, collapseWhitespace: true, fixLineEndings: true, removeEmptyFiles: true });
    assert.deepEqual(afters(plan), { padded: 'a cat\n', spaced: 'a cat\non\n\nthe mat', oldMac: 'line one\nline two\n' });
    assert.deepEqual(plan.deletions, ['/data/blank.txt', '/data/empty.txt']);
    assert.equal(plan.unchanged, 2);
    assert.equal(plan.operation, 'Normalize captions: trim, collapse whitespace, fix line endings, remove empty caption files');
  });

  it('asks for at least one step', () => {
    assert.throws(() => normalize(input, {}), EditOptionError);
  });
});
