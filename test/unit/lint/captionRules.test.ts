import { strict as assert } from 'node:assert';
import { lintCaptionText } from '../../../src/core/lint/captionRules';
import { lintConfig } from '../../../src/core/lint/lintConfig';
import type { LintProblem, LintRuleId } from '../../../src/core/lint/lintTypes';
import { applyEdits, fixAllOfKind } from '../../../src/core/lint/textEdits';
import { ESTIMATED_TOKENS, TokenCounter } from '../../../src/core/lint/tokenBudget';

const config = lintConfig({ trigger: { word: 'ohwx' } });
const lint = (text: string, tokens?: TokenCounter): LintProblem[] => lintCaptionText(text, { config, tokens });
const of = (text: string, rule: LintRuleId, tokens?: TokenCounter): LintProblem[] => lint(text, tokens).filter((p) => p.rule === rule);
/** The text after the one problem of `rule` is fixed. */
function fixed(text: string, rule: LintRuleId): string {
  const problems = of(text, rule);
  assert.equal(problems.length, 1, `${rule} on ${JSON.stringify(text)}: ${JSON.stringify(problems)}`);
  assert.ok(problems[0].fix, 'has a fix');
  return applyEdits(text, problems[0].fix.edits);
}

describe('caption lint rules (one caption)', () => {
  it('stays silent on clean text', () => {
    for (const text of ['ohwx, a brown dog runs on wet grass near a lake.', "ohwx, a child's red kite (torn) above a \"quiet\" beach", 'ohwx a 3-year-old * not emphasis * here']) {
      assert.deepEqual(lint(text), [], text);
    }
  });

  it('empty and whitespace-only captions get only the empty problem', () => {
    assert.deepEqual(lint('').map((p) => [p.rule, p.severity, p.message]), [['empty', 'error', 'Empty caption.']]);
    assert.deepEqual(lint(' \n\t').map((p) => [p.rule, p.start, p.end, p.message]), [['empty', 0, 3, 'Caption is only whitespace.']]);
  });

  it('over the token budget: the range is what CLIP never sees, the fix trims at a word boundary', () => {
    const text = `ohwx, a dog's toy${' word'.repeat(80)}, end.`;
    const [problem] = of(text, 'token-budget');
    assert.match(problem.message, /^Caption has 90 CLIP tokens \(estimated\); CLIP reads only the first 75\.$/);
    // ohwx , a dog ' s toy = 7 tokens, so 68 words fit.
    assert.equal(fixed(text, 'token-budget'), `ohwx, a dog's toy${' word'.repeat(68)}`);
    assert.equal(problem.start, fixed(text, 'token-budget').length);
    assert.equal(ESTIMATED_TOKENS.count(fixed(text, 'token-budget')), 75);
    assert.deepEqual(of(`ohwx${' word'.repeat(74)}`, 'token-budget'), []);
  });

  it('counts with the tokenizer given and says it is exact', () => {
    const perWord: TokenCounter = { exact: true, count: (t) => (t.match(/\S+/g) ?? []).length * 2 };
    const [problem] = of('ohwx one two three four five six seven eight nine ten'.repeat(4), 'token-budget', perWord);
    assert.match(problem.message, /^Caption has \d+ CLIP tokens; /);
    assert.deepEqual(of('ohwx one two', 'token-budget', perWord), []);
  });

  it('banned phrases: case-insensitive, word-bounded, removed tidily', () => {
    assert.equal(fixed('ohwx. The image shows a dog on grass.', 'banned-phrase'), 'ohwx. A dog on grass.');
    assert.equal(fixed('The image shows a dog, ohwx.', 'banned-phrase'), 'A dog, ohwx.');
    assert.equal(fixed('ohwx, in this image, a cat sleeps.', 'banned-phrase'), 'ohwx, a cat sleeps.');
    assert.equal(fixed('ohwx, a cat sleeps in this image.', 'banned-phrase'), 'ohwx, a cat sleeps.');
    assert.equal(fixed('ohwx, a dog that APPEARS  TO BE happy', 'banned-phrase'), 'ohwx, a dog that happy');
    assert.equal(fixed('I\u2019m sorry, a dog, ohwx', 'banned-phrase'), 'A dog, ohwx');
    assert.deepEqual(of('ohwx, the imagery shows nothing; reappears to bee', 'banned-phrase'), []);
    const [problem] = of('ohwx, The Image Shows it', 'banned-phrase');
    assert.deepEqual([problem.start, problem.end, problem.message], [6, 21, 'Banned phrase "The Image Shows".']);
  });

  it('missing trigger word: off when none is set; the fix adds it at the front with the separator', () => {
    assert.deepEqual(lintCaptionText('a dog', { config: lintConfig() }), []);
    assert.equal(fixed('  a dog runs', 'missing-trigger'), '  ohwx, a dog runs');
    assert.deepEqual(of('a dog, ohwx style', 'missing-trigger'), []);
    assert.equal(of('a dog, ohwxy style', 'missing-trigger').length, 1, 'word-bounded');
    assert.equal(of('OHWX dog', 'missing-trigger').length, 1, 'case-sensitive by default');
    const loose = lintConfig({ trigger: { word: 'ohwx', separator: ' ', caseSensitive: false } });
    assert.deepEqual(lintCaptionText('OHWX dog', { config: loose }), []);
    assert.equal(applyEdits('a dog', lintCaptionText('a dog', { config: loose })[0].fix!.edits), 'ohwx a dog');
  });

  it('model artefacts: labels, reasoning blocks, markdown, each with its fix', () => {
    assert.equal(fixed('Caption: ohwx, a red car.', 'model-artefact'), 'ohwx, a red car.');
    assert.equal(fixed('**Description:** ohwx, a red car', 'model-artefact'), 'ohwx, a red car');
    assert.equal(fixed('<think>a car? yes</think>\nohwx, a red car.', 'model-artefact'), 'ohwx, a red car.');
    assert.equal(fixed('ohwx, a red car. <reasoning>done</reasoning>', 'model-artefact'), 'ohwx, a red car.');
    assert.equal(fixed('## ohwx, a red car', 'model-artefact'), 'ohwx, a red car');
    assert.equal(fixed('ohwx, a **red** car', 'model-artefact'), 'ohwx, a red car');
    assert.equal(fixed('ohwx, a _red_ car', 'model-artefact'), 'ohwx, a red car');
    const bullets = 'ohwx\n- a red car\n* a blue hat';
    const problems = of(bullets, 'model-artefact');
    assert.equal(problems.length, 2);
    assert.equal(fixAllOfKind([bullets], [problems], 'model-artefact')[0], 'ohwx\na red car\na blue hat');
  });

  it('model artefacts without an obvious fix: unmatched brackets, quotes and tags', () => {
    const describe = (text: string): unknown => of(text, 'model-artefact').map((p) => [p.start, p.end, p.message, p.fix === undefined]);
    assert.deepEqual(describe('ohwx, a (red car'), [[8, 9, 'Unmatched (.', true]]);
    assert.deepEqual(describe('ohwx, a red] car'), [[11, 12, 'Unmatched ].', true]]);
    assert.deepEqual(describe('ohwx, a "red car'), [[8, 9, 'Unmatched ".', true]]);
    assert.deepEqual(describe('ohwx, a red car</think>'), [[15, 23, 'Unmatched reasoning tag </think>.', true]]);
  });

  it('fix all of this kind applies one rule over many captions and leaves the rest', () => {
    const texts = ['The image shows a dog.', 'Caption: the image shows a cat', 'a bird'];
    const problems = texts.map((t) => lintCaptionText(t, { config: lintConfig() }));
    assert.deepEqual(fixAllOfKind(texts, problems, 'banned-phrase'), ['A dog.', 'Caption: a cat', 'a bird']);
    assert.deepEqual(fixAllOfKind(texts, problems, 'model-artefact'), ['The image shows a dog.', 'the image shows a cat', 'a bird']);
  });

  it('a rule set to off stays silent', () => {
    const quiet = lintConfig({ empty: { level: 'off' }, bannedPhrases: { level: 'off' }, artefacts: { level: 'off' } });
    assert.deepEqual(lintCaptionText('', { config: quiet }), []);
    assert.deepEqual(lintCaptionText('Caption: the image shows (a dog', { config: quiet }), []);
  });
});
