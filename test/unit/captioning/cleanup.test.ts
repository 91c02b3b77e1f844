import { strict as assert } from 'node:assert';
import { addAffixes, cleanCaption } from '../../../src/core/captioning/cleanup';

describe('cleanCaption', () => {
  const cases: Array<[string, string]> = [
    ['"A red car parked on a street."', 'A red car parked on a street.'],
    ['“A red car.”', 'A red car.'],
    ['Caption: A red car.', 'A red car.'],
    ['**Description:** A red car.', 'A red car.'],
    ["Sure! Here's a caption for the image:\nA red car.", 'A red car.'],
    ['<think>The user wants a caption. I see a car.</think>\nA red car.', 'A red car.'],
    ['<think>never closed reasoning', ''],
    ['  A   red\n\ncar.  ', 'A red car.'],
    ['```\nA red car.\n```', 'A red car.'],
    ['"quoted" word and "another"', '"quoted" word and "another"'],
    ['It\'s a "red" car', 'It\'s a "red" car'],
  ];
  for (const [raw, expected] of cases) {
    it(`cleans ${JSON.stringify(raw)}`, () => assert.equal(cleanCaption(raw), expected));
  }

  it('keeps paragraphs when asked', () => {
    assert.equal(cleanCaption('First   line.\n\n\n\nSecond line.', { keepNewlines: true }), 'First line.\n\nSecond line.');
  });
});

describe('addAffixes', () => {
  it('adds a trigger word once, with the separator the caption uses', () => {
    assert.equal(addAffixes('a red car', 'sks'), 'sks a red car');
    assert.equal(addAffixes('car, red, street', 'sks,'), 'sks, car, red, street');
    assert.equal(addAffixes('sks a red car', 'sks'), 'sks a red car');
    assert.equal(addAffixes('car, red,', undefined, ', photo'), 'car, red, photo');
    assert.equal(addAffixes('a red car', undefined, 'high quality'), 'a red car high quality');
    assert.equal(addAffixes('', 'sks', 'photo'), 'sks photo');
  });
});
