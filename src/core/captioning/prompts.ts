/** The instructions sent with an image: a length preset, an output style, and the user's template. */

export type LengthPreset = 'short' | 'long' | 'custom';
export type StylePreset = 'plain' | 'sentence' | 'paragraph' | 'tags' | 'sd-prompt';

/** The seed tool's prompts; `{n}` is the token budget. */
export const LENGTH_PROMPTS: Readonly<Record<Exclude<LengthPreset, 'custom'>, { prompt: string; tokens: number }>> = {
  short: { prompt: 'Write a single concise caption in <= {n} tokens. Output only the caption.', tokens: 25 },
  long: {
    prompt:
      'Write a detailed description in around {n} tokens covering subjects, key attributes, spatial relations, actions, and scene context. Avoid redundancy and output only the description.',
    tokens: 100,
  },
};

export const STYLE_PROMPTS: Readonly<Record<StylePreset, string>> = {
  plain: '',
  sentence: 'Answer with exactly one sentence.',
  paragraph: 'Answer with one detailed paragraph of plain prose, no lists or headings.',
  tags: 'Answer only with comma-separated tags (lowercase, most important first), no sentences.',
  'sd-prompt': 'Answer as a Stable Diffusion prompt: comma-separated descriptive phrases covering subject, style, lighting, composition and medium.',
};

/** What a template may refer to: `{name}`, `{folder}`, `{caption}` (the existing one), `{tags}`. */
export interface PromptVariables {
  readonly name: string;
  readonly folder: string;
  readonly caption: string;
}

export interface PromptOptions {
  readonly length: LengthPreset;
  readonly style: StylePreset;
  /** The prompt for `custom`, or a template used instead of the length preset's prompt. */
  readonly template?: string;
  /** Overrides the preset's token budget in `{n}`. */
  readonly tokens?: number;
  /** The user's wording of the short and long prompts (settings), replacing the seed's. */
  readonly presetPrompts?: Readonly<Partial<Record<'short' | 'long', string>>>;
}

/** Builds the prompt text; unknown `{variables}` are left as typed so the user sees them. */
export function buildPrompt(options: PromptOptions, vars: PromptVariables): string {
  const preset = options.length === 'custom' ? undefined : LENGTH_PROMPTS[options.length];
  const tokens = options.tokens ?? preset?.tokens ?? LENGTH_PROMPTS.short.tokens;
  const parts = [fillTemplate(baseTemplate(options), vars, tokens), STYLE_PROMPTS[options.style]].filter((p) => p.trim());
  return parts.join(' ');
}

/** True when the prompt refers to the existing caption (`{caption}` or `{tags}`), so it must be read first. */
export function promptUsesCaption(options: PromptOptions): boolean {
  return /\{(?:caption|tags)\}/.test(baseTemplate(options));
}

function baseTemplate(options: PromptOptions): string {
  const presetPrompt = options.length === 'custom' ? undefined : options.presetPrompts?.[options.length]?.trim() || LENGTH_PROMPTS[options.length].prompt;
  return options.template?.trim() || presetPrompt || LENGTH_PROMPTS.short.prompt;
}

/** Suggested `max_tokens` for a length preset: room for the answer, not the seed's blanket 1024. */
export function maxTokensFor(options: PromptOptions): number | undefined {
  if (options.length === 'custom') return undefined;
  return Math.ceil((options.tokens ?? LENGTH_PROMPTS[options.length].tokens) * 2) + 16;
}

export function fillTemplate(template: string, vars: PromptVariables, tokens: number): string {
  const tags = splitTags(vars.caption).join(', ');
  const values: Record<string, string> = { name: vars.name, folder: vars.folder, caption: vars.caption.trim(), tags, n: String(tokens) };
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in values ? values[key] : whole));
}

/** Tags of a comma-separated caption, trimmed, empty ones dropped. */
export function splitTags(caption: string): string[] {
  return caption.split(',').map((t) => t.trim()).filter(Boolean);
}
