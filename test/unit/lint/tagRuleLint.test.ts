import { strict as assert } from 'node:assert';
import { lintCaptionText } from '../../../src/core/lint/captionRules';
import { lintConfig } from '../../../src/core/lint/lintConfig';
import { lintConfigFromSettings } from '../../../src/services/lintSettings';
import { CompiledTagRules } from '../../../src/core/tagging/tagRules';

const rules = new CompiledTagRules({ alwaysFirst: ['sks'], order: [], required: { people: ['person'] }, banned: ['watermark'] });

describe('tag rules in the lint engine', () => {
  it('reports the three tag rules at their levels, with the fixes, only when the caller passes the rules', () => {
    const text = 'dog, watermark, sks';
    const problems = lintCaptionText(text, { config: lintConfig(), tagRules: { rules, folder: 'people/bob' } });
    assert.deepEqual(problems.map((p) => [p.rule, p.severity, text.slice(p.start, p.end)]), [
      ['banned-tag', 'warning', 'watermark'],
      ['missing-required-tag', 'warning', text],
      ['tag-order', 'information', 'sks'],
    ]);
    assert.ok(problems.every((p) => p.fix));
    assert.deepEqual(lintCaptionText(text, { config: lintConfig() }), []);
  });

  it('each rule has its own level setting; off disables it', () => {
    const { config, problems } = lintConfigFromSettings((key) => ({ 'bannedTag.level': 'off', 'tagOrder.level': 'error', 'missingRequiredTag.level': 7 })[key]);
    assert.deepEqual(problems, ['imageCaptioner.lint.missingRequiredTag.level should be one of error, warning, information, hint, off; the default is used.']);
    const found = lintCaptionText('dog, watermark, sks', { config, tagRules: { rules, folder: 'people' } });
    assert.deepEqual(found.map((p) => [p.rule, p.severity]), [['missing-required-tag', 'warning'], ['tag-order', 'error']]);
  });
});
