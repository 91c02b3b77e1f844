import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { trimMarks } from '../../../src/core/captioning/captionMerge';
import { endsWithLineBreak } from '../../../src/core/edits/editPlan';
import { planImport } from '../../../src/core/import/planImport';
import { callWithin } from '../helpers/timeBoxed';

const SCENARIOS = path.join(__dirname, 'longTextScenarios.js');

function randomTexts(alphabet: readonly string[], count: number): string[] {
  let seed = 3;
  const next = (n: number) => (seed = (seed * 1103515245 + 12345) % 2147483648) % n;
  const texts: string[] = [];
  for (let i = 0; i < count; i++) {
    let text = '';
    for (let k = next(14); k > 0; k--) text += alphabet[next(alphabet.length)];
    texts.push(text);
  }
  return texts;
}

describe('trimming separators and line breaks at caption edges', () => {
  it('stays linear on a 100 KB caption whose middle is a run of separators, spaces or line breaks', async function () {
    this.timeout(60_000);
    for (const run of [', ', ' ', '\n', '\n ', ';|, ']) {
      const { ms } = await callWithin<number[]>(5_000, SCENARIOS, 'edgeTrimsOnLongRuns', run, 100_000);
      assert.ok(ms < 200, `${JSON.stringify(run)}: ${ms.toFixed(1)} ms`);
    }
  });

  it('trimMarks removes what the regex (?:\\s|mark)+ at that edge removed', () => {
    const texts = randomTexts(['a', ' ', ',', ', ', '\n', '--', '-', 'x-', '\u2028'], 5000);
    for (const mark of [',', '--', '-x', 'a b']) {
      const escaped = mark.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      for (const text of texts) {
        assert.equal(trimMarks(text, [mark], 'end'), text.replace(new RegExp(`(?:\\s|${escaped})+$`), ''), `${mark} end of ${JSON.stringify(text)}`);
        assert.equal(trimMarks(text, [mark], 'start'), text.replace(new RegExp(`^(?:\\s|${escaped})+`), ''), `${mark} start of ${JSON.stringify(text)}`);
      }
    }
    for (const text of texts) assert.equal(trimMarks(text, [',', ';', '|'], 'end'), text.replace(/[\s,;|]+$/, ''), JSON.stringify(text));
  });

  it('endsWithLineBreak says what /\\n\\s*$/ said', () => {
    for (const text of randomTexts(['a', ' ', '\n', '\r', '\t', '\u2028', 'b'], 5000)) assert.equal(endsWithLineBreak(text), /\n\s*$/.test(text), JSON.stringify(text));
  });

  it('imports a multi-line caption as one line, as replacing whitespace around line breaks with one space did', () => {
    const image = { imagePath: '/d/a.jpg', relPath: 'a.jpg', captionPath: '/d/a.txt', existing: undefined };
    for (const caption of randomTexts(['a', ' ', '\n', '\r', '\t', '\u2028', 'b', '\n\n'], 3000)) {
      if (caption.trim() === '') continue;
      const plan = planImport([{ image: 'a.jpg', caption }, { image: 'a.jpg', caption: 'two' }], [image], { which: 'all', conflict: 'overwrite' });
      assert.equal(plan.writes[0].after.split('\n')[0], caption.trim().replace(/\s*\n\s*/g, ' '), JSON.stringify(caption));
    }
  });
});
