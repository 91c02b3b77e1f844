import { strict as assert } from 'node:assert';
import { buildPrompt, maxTokensFor, splitTags } from '../../../src/core/captioning/prompts';

const vars = { name: 'red-car.jpg', folder: 'objects/vehicles', caption: 'car, red,  street ,' };

describe('prompts', () => {
  it("uses the seed's short and long prompts with their token budgets", () => {
    assert.equal(buildPrompt({ length: 'short', style: 'plain' }, vars), 'Write a single concise caption in <= 25 tokens. Output only the caption.');
    assert.match(buildPrompt({ length: 'long', style: 'plain' }, vars), /^Write a detailed description in around 100 tokens covering subjects/);
    assert.match(buildPrompt({ length: 'short', style: 'plain', tokens: 40 }, vars), /<= 40 tokens/);
  });

  it('adds the output style after the length instruction', () => {
    assert.match(buildPrompt({ length: 'short', style: 'tags' }, vars), /Output only the caption\. Answer only with comma-separated tags/);
    assert.match(buildPrompt({ length: 'long', style: 'sd-prompt' }, vars), /Stable Diffusion prompt/);
  });

  it('fills {name}, {folder}, {caption}, {tags} and leaves unknown variables visible', () => {
    const prompt = buildPrompt({ length: 'custom', style: 'plain', template: 'Improve "{caption}" for {name} in {folder}; keep {tags}; {unknown}' }, vars);
    assert.equal(prompt, 'Improve "car, red,  street ," for red-car.jpg in objects/vehicles; keep car, red, street; {unknown}');
  });

  it('suggests max_tokens from the budget, none for custom prompts', () => {
    assert.equal(maxTokensFor({ length: 'short', style: 'plain' }), 66);
    assert.equal(maxTokensFor({ length: 'custom', style: 'plain' }), undefined);
    assert.deepEqual(splitTags(' a, ,b ,c'), ['a', 'b', 'c']);
  });
});

describe('prompts from settings', () => {
  it("uses the user's wording of a preset, keeping its token budget", () => {
    const prompt = buildPrompt({ length: 'long', style: 'plain', presetPrompts: { long: 'Describe {name} in {n} tokens.' } }, vars);
    assert.equal(prompt, 'Describe red-car.jpg in 100 tokens.');
  });
});
