import type { Region } from './regionsSidecar';

/** The prompts of region description and fusion, with their defaults (the settings may replace them). */

/**
 * Focal prompting's default: the outline's colour named, the crop explained, nothing outside asked
 * for. One text serves models that get both images and those that get the outlined picture only.
 */
export const DEFAULT_FOCAL_PROMPT =
  'The image shows a picture with one area outlined in magenta; a close-up crop around that area, outlined the same way, may follow. ' +
  'Describe only what is inside the magenta outline: what it is, its colour, material, shape, texture, state and any text on it. ' +
  'Do not mention the outline, the crop, or anything outside the outlined area. Output only the description.';

/**
 * Fusion's default, with the NVIDIA tool's rules: one cohesive factual description under 3 sentences,
 * no names of people, no emotions, no fiction, never the word "region", only the description.
 * `{regions}` becomes the numbered descriptions.
 */
export const DEFAULT_FUSE_PROMPT =
  'Here are descriptions of parts of this image, each outlined in the image in its own colour:\n{regions}\n\n' +
  'Weave them into one cohesive, factual description of the whole image in under 3 sentences. ' +
  'Do not name people, do not describe emotions, do not invent anything that is not described or visible, ' +
  'and never use the word "region". Output only the description.';

/** Names of the outline colours, in the order outlinedOverview paints them. */
const COLOUR_NAMES = ['magenta', 'cyan', 'yellow', 'green', 'orange', 'blue'];

/** The fuse prompt with `{regions}` replaced by one line per described region (its colour, label and text); appended when the template has no placeholder. */
export function buildFusePrompt(template: string, regions: readonly Region[]): string {
  const lines = regions.map((region, i) => {
    const label = region.label?.trim() ? ` (${region.label.trim()})` : '';
    return `${i + 1}. [${COLOUR_NAMES[i % COLOUR_NAMES.length]}]${label}: ${region.description.trim()}`;
  });
  const list = lines.join('\n');
  return template.includes('{regions}') ? template.split('{regions}').join(list) : `${template}\n\n${list}`;
}

/** The regions a fuse request can weave: those with a description. */
export function describedRegions(regions: readonly Region[]): Region[] {
  return regions.filter((r) => r.description.trim() !== '');
}
