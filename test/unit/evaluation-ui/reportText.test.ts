import * as assert from 'node:assert/strict';
import { biasText, headerFacts, score4 } from '../../../src/webviews/ui/evaluation/reportText';
import { smallReport } from '../evaluation/panelReports';

describe('evaluation panel: the report as text', () => {
  it('a missing rate reads "no gendered image", never 0%', () => {
    const report = smallReport();
    assert.equal(biasText(report.models[0].bias), '50.0% (1 of 2)');
    assert.equal(biasText(report.models[1].bias), 'no gendered image');
  });

  it('scores to 4 decimals, a missing one as a dash', () => {
    assert.equal(score4(0.36427455401663766), '0.3643');
    assert.equal(score4(undefined), '—');
    assert.equal(score4(Number.NaN), '—');
  });

  it('the header names the sample, seed, reference source, every reference count, the tokenizer, no CLIP model and the cancellation', () => {
    const facts = Object.fromEntries(headerFacts(smallReport()));
    assert.equal(facts.Sample, '3 images (asked for 3), seed 7');
    assert.equal(facts.References, '.ref.txt files beside the images');
    assert.equal(facts['Reference counts'], '3 images with references, 2 without, 0 with no matching image, 1 empty, 1 unreadable');
    assert.equal(facts.Tokenizer, 'COCO PTB tokenizer (lowercase, punctuation dropped)');
    assert.equal(facts['CLIP model'], 'no CLIP model');
    assert.match(facts.Cancelled, /cancelled/);
  });
});

describe('evaluation panel: why there is no CLIP score', () => {
  it('the header gives the reason the run recorded', () => {
    const facts = Object.fromEntries(headerFacts({ ...smallReport(), clipUnavailable: 'No local CLIP model is set.' }));
    assert.equal(facts['CLIP model'], 'no CLIP score: No local CLIP model is set.');
  });
});
