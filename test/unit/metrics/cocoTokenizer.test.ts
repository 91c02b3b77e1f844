import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { COCO_PUNCTUATION, cocoTokens, ptbTokens } from '../../../src/core/metrics/cocoTokenizer';
import { repoRoot } from '../helpers/vscodeImports';
import { readFixture } from './captionMetricsFixture';

const tokens = (text: string): string => cocoTokens(text).join(' ');

describe('COCO tokenization of raw captions (CoreNLP PTBTokenizer, lowercased, punctuation dropped)', () => {
  it('leaves the fixture\'s pre-tokenized captions exactly as they are (all 840)', () => {
    const { images } = readFixture();
    let checked = 0;
    for (const image of images) {
      for (const text of [...image.references, ...Object.values(image.candidates)]) {
        assert.equal(tokens(text), text);
        checked++;
      }
    }
    assert.equal(checked, 840);
  });

  it('lowercases and drops sentence punctuation, commas, colons, semicolons, dashes and ellipses', () => {
    assert.equal(tokens('A Dog runs, jumps; and: plays - on the grass -- twice... Really? Yes! The End.'),
      'a dog runs jumps and plays on the grass twice really yes the end');
    assert.equal(tokens('wait\u2026 a dash \u2013 and \u2014 another'), 'wait a dash and another');
  });

  it('keeps punctuation runs the list lacks, as the evaluation does', () => {
    assert.equal(tokens('really?! wow!! ----- end'), 'really ?! wow !! ----- end');
  });

  it('turns quotes into `` and \'\' and drops them, straight or curly', () => {
    assert.deepEqual(ptbTokens('He said "hi" and \'bye\''), ['He', 'said', '``', 'hi', "''", 'and', '`', 'bye', "'"]);
    assert.equal(tokens('a \u201Cfancy\u201D sign and a \u2018quoted\u2019 word'), 'a fancy sign and a quoted word');
  });

  it('splits clitics off and keeps them, with curly apostrophes made straight', () => {
    assert.equal(tokens("A dog's ball; they're here, it's fine"), "a dog 's ball they 're here it 's fine");
    assert.equal(tokens("don't can't won't cannot gonna"), "do n't ca n't wo n't can not gon na");
    assert.equal(tokens('the dog\u2019s toy, don\u2019t'), "the dog 's toy do n't");
    assert.equal(tokens("the dogs' bowls at 5 o'clock"), "the dogs bowls at 5 o'clock");
  });

  it('keeps hyphenated words, numbers, fractions and slash compounds whole', () => {
    assert.equal(tokens('A black-and-white photo of a T-shirt'), 'a black-and-white photo of a t-shirt');
    assert.equal(tokens('3.5 miles, 1,000 people, -5 degrees, 1/2 cup and/or \u00BD more'),
      '3.5 miles 1,000 people -5 degrees 1/2 cup and/or 1/2 more');
    assert.equal(tokens('a well-known 19th-century house'), 'a well-known 19th-century house');
  });

  it('keeps brackets as -lrb- -rrb- (lowercased before the filter, so its "-LRB-" never matches)', () => {
    assert.equal(tokens('a dog (brown) [left] {x}'), 'a dog -lrb- brown -rrb- -lsb- left -rsb- -lcb- x -rcb-');
  });

  it('keeps the period of acronyms, single letters and a few abbreviations', () => {
    assert.equal(tokens('A U.S. flag near Mr. Smith on St. Mark street, etc.'), 'a u.s. flag near mr. smith on st. mark street etc.');
  });

  it('handles Unicode: letters of any script stay in words, symbols stand alone, emoji are deleted', () => {
    assert.equal(tokens('Caf\u00E9 in Z\u00FCrich, na\u00EFve \u0441\u043E\u0431\u0430\u043A\u0430 \uD83D\uDE00 smiling'),
      'caf\u00E9 in z\u00FCrich na\u00EFve \u0441\u043E\u0431\u0430\u043A\u0430 smiling');
    assert.equal(tokens('5% off & 20\u00B0 at #sunset with @bob for $5 or \u20AC3'), '5 % off & 20 \u00B0 at #sunset with @bob for $ 5 or $ 3');
  });

  it('treats every kind of whitespace as a separator and gives nothing for empty or punctuation-only text', () => {
    assert.equal(tokens('a\u00A0b\tc\nd   e\u3000f'), 'a b c d e f');
    assert.deepEqual(cocoTokens(''), []);
    assert.deepEqual(cocoTokens(' ... ! , -- '), []);
  });
});

describe('COCO tokenization against CoreNLP 3.4.1 itself (1,556 recorded lines)', () => {
  const file = path.join(repoRoot(__dirname), 'test', 'fixtures', 'coco-tokenizer', 'corenlp-3.4.1.json');
  const { cases } = JSON.parse(fs.readFileSync(file, 'utf8')) as { cases: Array<{ text: string; corenlp: string }> };

  it('gives the tokens COCO scores (CoreNLP\'s, its punctuation list dropped) for every line', () => {
    assert.equal(cases.length, 1556);
    const differing = cases.filter((c) => tokens(c.text) !== c.corenlp.split(' ').filter((t) => t && !COCO_PUNCTUATION.has(t)).join(' '));
    assert.deepEqual(differing.map((c) => c.text), []);
  });

  it('gives CoreNLP\'s own tokens, lowercased, before the filter (lone periods aside: CoreNLP repeats one after a final abbreviation)', () => {
    const withoutPeriods = (list: string[]): string => list.filter((t) => t !== '.').join(' ');
    const differing = cases.filter((c) => withoutPeriods(ptbTokens(`${c.text}\n`).map((t) => t.toLowerCase())) !== withoutPeriods(c.corenlp.split(' ')));
    assert.deepEqual(differing.map((c) => c.text), []);
  });
});
