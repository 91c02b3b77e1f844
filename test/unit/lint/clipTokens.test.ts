import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { lintCaptionText } from '../../../src/core/lint/captionRules';
import { lintConfig } from '../../../src/core/lint/lintConfig';
import { applyEdits } from '../../../src/core/lint/textEdits';
import { WorkerClient } from '../../../src/providers/local/workerClient';
import { LintTokens, type LintTokensDeps } from '../../../src/services/lintTokens';
import { Requests } from '../../../src/worker/protocol';
import { writeTinyClipTokenizer } from '../../fixtures/localModels/clipBpeTokenizer';
import { WORKER_PATH } from '../local/workerHarness';

// the tiny tokenizer: "the", "red", "dog", "ball" are one token each, other words one per letter, punctuation one
const CAPTION = 'the red dog sat, a cat ball';
const config = lintConfig({ tokenBudget: { maxTokens: 8 } });

describe('token budget with CLIP\'s BPE tokenizer (model worker)', function () {
  this.timeout(60_000);
  let root: string;
  let client: WorkerClient;
  let model: string;

  before(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'ic-clip-tokens-'));
    model = path.join(root, 'tiny-clip');
    await writeTinyClipTokenizer(model);
    client = new WorkerClient({
      workerPath: WORKER_PATH,
      execPath: process.execPath,
      idleExitMs: 0,
      log: () => undefined,
      settings: () => ({ cacheDir: path.join(root, 'cache'), allowRemoteModels: false, device: 'cpu' }),
    });
  });
  after(async () => {
    await client.dispose();
    fs.rmSync(root, { recursive: true, force: true });
  });

  const tokens = (overrides: Partial<LintTokensDeps> = {}): LintTokens =>
    new LintTokens({
      isTrusted: () => true,
      clipModel: () => ({ id: model, task: 'clip' }),
      settings: () => ({ cacheDir: path.join(root, 'cache') }),
      countTokens: (params, signal) => client.request(Requests.countTokens, params, { signal }),
      ...overrides,
    });

  it('counts exactly with the model\'s merges, and the trim fix cuts at the last word that fits', async () => {
    const { counter, note } = await tokens().counter([CAPTION, 'the dog'], 8);
    assert.equal(note, `Token counts use the tokenizer of ${model}.`);
    assert.equal(counter.exact, true);
    assert.equal(counter.count('the dog'), 2);
    // the 1, red 1, dog 1, s-a-t 3, "," 1, a 1, c-a-t 3, ball 1
    assert.equal(counter.count(CAPTION), 12);
    const [problem] = lintCaptionText(CAPTION, { config, tokens: counter });
    assert.equal(problem.message, 'Caption has 12 CLIP tokens; CLIP reads only the first 8.');
    // "the red dog sat, a" is 8 tokens; "cat" would make 11
    assert.equal(applyEdits(CAPTION, problem.fix!.edits), 'the red dog sat, a');
    assert.equal(CAPTION.slice(problem.start, problem.end), ' cat ball');
    assert.deepEqual(lintCaptionText('the dog', { config, tokens: counter }), []);
  });

  it('without the tokenizer files, or in an untrusted folder, the estimate counts and says so', async () => {
    const missing = await tokens({ clipModel: () => ({ id: 'openai/not-here', task: 'clip' }) }).counter([CAPTION], 8);
    assert.equal(missing.counter.exact, false);
    assert.match(missing.note, /^Token counts are estimated: the tokenizer of openai\/not-here is not on this machine/);
    const [problem] = lintCaptionText(`${CAPTION}, ${CAPTION}`, { config, tokens: missing.counter });
    assert.match(problem.message, /^Caption has \d+ CLIP tokens \(estimated\); CLIP reads only the first 8\.$/);
    const untrusted = await tokens({ isTrusted: () => false, countTokens: () => assert.fail('nothing runs untrusted') }).counter([CAPTION], 8);
    assert.equal(untrusted.note, 'Token counts are estimated: the CLIP tokenizer is not run in an untrusted folder.');
  });

  it('a tokenizer the worker cannot load falls back to the estimate and names the error', async () => {
    const broken = path.join(root, 'broken');
    fs.mkdirSync(broken);
    fs.writeFileSync(path.join(broken, 'tokenizer.json'), '{ not json');
    fs.writeFileSync(path.join(broken, 'tokenizer_config.json'), '{}');
    const { counter, note } = await tokens({ clipModel: () => ({ id: broken, task: 'clip' }) }).counter([CAPTION], 8);
    assert.equal(counter.exact, false);
    assert.match(note, new RegExp(`^Token counts are estimated: counting with the tokenizer of ${broken.replace(/[/\\]/g, '.')} failed \\(The tokenizer of .* is not on this machine: .*JSON`));
  });

  it('counts 3,000 captions in batches and asks about each distinct text once', async () => {
    const texts = Array.from({ length: 3000 }, (_, k) => `the dog ${'ab '.repeat(k % 40)}${k}`);
    let asked = 0;
    const { counter } = await tokens({
      countTokens: (params, signal) => ((asked += params.texts.length), client.request(Requests.countTokens, params, { signal })),
    }).counter([...texts, ...texts], 8);
    assert.equal(asked, 3000);
    assert.equal(counter.count(texts[41]), 2 + 2 + 2); // "the dog ab 41": a-b two tokens, each digit one
    assert.throws(() => counter.count('never counted'), /not counted/);
  });
});
