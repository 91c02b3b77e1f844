import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DatasetBoundary } from '../../../src/core/files/datasetBoundary';
import { PromptCaptionError, captionForPrompt } from '../../../src/core/captioning/promptCaption';
import { promptUsesCaption } from '../../../src/core/captioning/prompts';
import { TempDirs } from '../helpers/tempTree';

const usesCaption = { length: 'custom', style: 'plain', template: 'Improve this caption: {caption}' } as const;
const usesTags = { length: 'short', style: 'plain', presetPrompts: { short: 'Add to these tags: {tags}' } } as const;
const plain = { length: 'short', style: 'tags' } as const;

describe('the existing caption in a prompt', () => {
  const temp = new TempDirs();
  afterEach(() => temp.cleanup());

  it('knows which prompts refer to the caption', () => {
    assert.equal(promptUsesCaption(usesCaption), true);
    assert.equal(promptUsesCaption(usesTags), true);
    assert.equal(promptUsesCaption(plain), false);
    assert.equal(promptUsesCaption({ length: 'long', style: 'plain', template: 'Describe {name} in {folder}' }), false);
  });

  it('reads the caption when the prompt uses it; no file is no caption', async () => {
    const dir = await temp.make();
    const file = path.join(dir, 'a.txt');
    fs.writeFileSync(file, '\uFEFFred car, street\r\n');
    assert.equal(await captionForPrompt(usesCaption, file, DatasetBoundary.atSync(dir)), 'red car, street\n');
    assert.equal(await captionForPrompt(usesTags, path.join(dir, 'missing.txt'), DatasetBoundary.atSync(dir)), '');
    assert.equal(await captionForPrompt(usesCaption, undefined, DatasetBoundary.atSync(dir)), '');
  });

  it('a caption that cannot be read stops the request instead of becoming an empty one', async () => {
    const dir = await temp.make();
    const file = path.join(dir, 'latin1.txt');
    fs.writeFileSync(file, Buffer.from([0x63, 0x61, 0x66, 0xe9]));
    await assert.rejects(captionForPrompt(usesCaption, file, DatasetBoundary.atSync(dir)), (err: Error) =>
      err instanceof PromptCaptionError && err.file === file && /^The prompt uses the existing caption \(\{caption\} or \{tags\}\), but .*latin1\.txt cannot be read: .*is not UTF-8 text/.test(err.message));
    const folder = path.join(dir, 'folder.txt');
    fs.mkdirSync(folder);
    await assert.rejects(captionForPrompt(usesTags, folder, DatasetBoundary.atSync(dir)), PromptCaptionError);
  });

  it('does not read the caption at all when the prompt does not use it', async () => {
    const dir = await temp.make();
    const file = path.join(dir, 'latin1.txt');
    fs.writeFileSync(file, Buffer.from([0xe9]));
    assert.equal(await captionForPrompt(plain, file, DatasetBoundary.atSync(dir)), '');
  });
});
