import * as assert from 'node:assert/strict';
import { reportImagesCsv, reportSummaryCsv } from '../../../src/core/evaluation/reportCsv';
import { smallReport } from './panelReports';

describe('evaluation report CSV', () => {
  it('writes one row per image and model with every score, quoting and defusing texts from strangers', () => {
    const expected = [
      'path,model_id,model,caption,error,elapsed_ms,coco_bleu_1,coco_bleu_2,coco_bleu_3,coco_bleu_4,nltk_bleu_4,cider_d,clip_score,references',
      'a.jpg,a,"Model ""A"", big","\'=HYPERLINK(""x"")",,100,1,0.5,0.25,0.125,0.1,2,31,"a dog runs\na dog, running"',
      'a.jpg,b,B,,HTTP 500,,,,,,,,,"a dog runs\na dog, running"',
      'b.jpg,a,"Model ""A"", big",a man sits,,140,0.6667,0.5,0,0,0.2,1,,a woman sits',
      'b.jpg,b,B,,timeout,,,,,,,,,a woman sits',
      '"sub/c, d.jpg",a,"Model ""A"", big",,refused,,,,,,,,,"\'-1 cat"',
      '"sub/c, d.jpg",b,B,,,,,,,,,,,"\'-1 cat"',
    ].map((line) => `${line}\r\n`).join('');
    assert.equal(reportImagesCsv(smallReport()), expected);
  });

  it('writes one summary row per model; numbers the report lacks (no scores, no gendered image) are empty cells, never 0', () => {
    const expected = [
      'model_id,model,scored,failed,empty_captions,coco_bleu_1,coco_bleu_2,coco_bleu_3,coco_bleu_4,nltk_bleu_1,nltk_bleu_2,nltk_bleu_3,nltk_bleu_4,cider_d,clip_score,mean_words,ms_per_image,bias_gendered,bias_misclassified,bias_rate,bias_correct,bias_neutral,bias_named_both',
      'a,"Model ""A"", big",2,1,0,0.5,0.25,0.125,0.0625,0.5,0.25,0.125,0.06,1.5,30.25,4.5,120,2,1,0.5,1,0,0',
      'b,B,0,3,0,,,,,,,,,,,,,0,0,,0,0,0',
    ].map((line) => `${line}\r\n`).join('');
    assert.equal(reportSummaryCsv(smallReport()), expected);
  });

  it('defuses every formula start OWASP lists in any text cell (a model label, a path, a reference)', () => {
    const report = smallReport();
    const hostile = {
      ...report,
      models: [{ ...report.models[1], modelId: '@id', label: '+label' }],
      images: [{ path: '-p.jpg', references: ['\tref'], captions: { '@id': { text: '=1+1' } }, scores: {} }],
    };
    assert.equal(reportImagesCsv(hostile).split('\r\n')[1], '"\'-p.jpg","\'@id","\'+label","\'=1+1",,,,,,,,,,"\'\tref"');
    assert.equal(reportSummaryCsv(hostile).split('\r\n')[1], '"\'@id","\'+label",0,3,0,,,,,,,,,,,,,0,0,,0,0,0');
  });
});
