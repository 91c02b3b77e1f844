import { strict as assert } from 'node:assert';
import { EditOptionError } from '../../../src/core/edits/editPlan';
import { addPrefixSuffix } from '../../../src/core/edits/prefixSuffix';
import { afters, sources } from './sources';

describe('addPrefixSuffix', () => {
  it('joins tag lists with a comma and sentences with a space, keeping final line breaks', () => {
    const input = sources({ tags: '1girl, solo\n', sentence: 'A cat on a mat.\n', jp: '日本語のキャプション' });
    assert.deepEqual(afters(addPrefixSuffix(input, { prefix: 'ohwx' })), {
      tags: 'ohwx, 1girl, solo\n',
      sentence: 'ohwx A cat on a mat.\n',
      jp: 'ohwx 日本語のキャプション',
    });
    assert.deepEqual(afters(addPrefixSuffix(input, { suffix: 'High quality.' })), {
      tags: '1girl, solo, High quality.\n',
      sentence: 'A cat on a mat. High quality.\n',
      jp: '日本語のキャプション High quality.',
    });
  });

  it('never doubles commas or spaces at the joint, and keeps a comma typed at the joint', () => {
    const input = sources({ a: '1girl, solo,  \n', b: '  A cat.' });
    assert.deepEqual(afters(addPrefixSuffix(input, { prefix: 'ohwx, ', suffix: ', best quality' })), {
      a: 'ohwx, 1girl, solo, best quality\n',
      b: 'ohwx, A cat., best quality',
    });
  });

  it('uses a given separator', () => {
    assert.deepEqual(afters(addPrefixSuffix(sources({ a: 'a cat' }), { prefix: '🐱', suffix: 'end', separator: ' | ' })), { a: '🐱 | a cat | end' });
  });

  it('skips a caption that already starts or ends with the text as a whole word, unless told not to', () => {
    const input = sources({ has: 'ohwx, 1girl', longer: 'ohwxyz, 1girl', tail: 'a cat, best quality\n' });
    const skipping = addPrefixSuffix(input, { prefix: 'ohwx, ', suffix: 'best quality' });
    assert.deepEqual(afters(skipping), { has: 'ohwx, 1girl, best quality', longer: 'ohwx, ohwxyz, 1girl, best quality', tail: 'ohwx, a cat, best quality\n' });
    const always = addPrefixSuffix(input, { prefix: 'ohwx', skipIfPresent: false });
    assert.deepEqual(afters(always), { has: 'ohwx, ohwx, 1girl', longer: 'ohwx, ohwxyz, 1girl', tail: 'ohwx, a cat, best quality\n' });
    assert.equal(addPrefixSuffix(sources({ has: 'ohwx, 1girl' }), { prefix: 'ohwx' }).unchanged, 1);
  });

  it('fills an empty caption with the text and leaves images without a caption file alone', () => {
    const plan = addPrefixSuffix(sources({ empty: '', blankLine: '\n', missing: undefined }), { prefix: 'ohwx' });
    assert.deepEqual(afters(plan), { empty: 'ohwx', blankLine: 'ohwx\n' });
    assert.equal(plan.unchanged, 1);
    assert.equal(plan.operation, 'Add prefix "ohwx"');
  });

  it('asks for a prefix or a suffix', () => {
    assert.throws(() => addPrefixSuffix(sources({ a: 'x' }), { prefix: '  ', suffix: '' }), EditOptionError);
  });
});
