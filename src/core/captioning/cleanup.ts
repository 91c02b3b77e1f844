import { mergeCaption, trimMarks } from './captionMerge';

/** Turns a model's raw answer into a caption: no reasoning, no labels, no wrapping quotes, tidy spaces. */

export interface CleanupOptions {
  /** Added before the text (e.g. a LoRA trigger word), with one separator, unless already there. */
  readonly prefix?: string;
  readonly suffix?: string;
  /** Keep line breaks inside the caption (default: join lines with spaces). */
  readonly keepNewlines?: boolean;
}

const REASONING = /<(think|thinking|reasoning)>[\s\S]*?(<\/\1>|$)/gi;
const LABEL = /^\s*(?:\*\*)?(?:caption|description|image description|answer|output|tags|prompt)(?:\s*[:\-–]\s*\*\*|\*\*\s*[:\-–]|\s*[:\-–])\s*/i;
const PREAMBLE = /^\s*(?:(?:sure|certainly|of course|okay|ok)\s*[!.,]\s*)?(?:here(?:'s| is) (?:a |an |the |my )?[^:\n]{0,40}?(?:caption|description|tags|prompt)\b[^:\n]{0,40}:\s*)?/i;
const QUOTES: ReadonlyArray<readonly [string, string]> = [['"', '"'], ["'", "'"], ['“', '”'], ['‘', '’'], ['«', '»'], ['`', '`']];

export function cleanCaption(raw: string, options: CleanupOptions = {}): string {
  let text = raw.replace(REASONING, '').replace(/\r\n?/g, '\n');
  text = text.replace(/^```[a-z]*\n?([\s\S]*?)\n?```$/i, '$1');
  text = text.replace(PREAMBLE, '');
  text = text.replace(LABEL, '');
  text = options.keepNewlines ? text.replace(/[ \t]+/g, ' ').replace(/\n{3,}/g, '\n\n') : text.replace(/\s+/g, ' ');
  text = unquote(text.trim());
  return addAffixes(text, options.prefix, options.suffix);
}

function unquote(text: string): string {
  for (const [open, close] of QUOTES) {
    if (text.length >= 2 && text.startsWith(open) && text.endsWith(close) && !text.slice(1, -1).includes(close === open ? open : close)) {
      return text.slice(1, -1).trim();
    }
  }
  return text;
}

/** Adds a trigger word before / text after, once, joined the way merged captions are (no doubled separators). */
export function addAffixes(text: string, prefix?: string, suffix?: string): string {
  let out = text;
  const p = prefix === undefined ? undefined : trimMarks(prefix.trim(), [','], 'end');
  const s = suffix === undefined ? undefined : trimMarks(suffix.trim(), [','], 'start');
  if (p && !out.toLowerCase().startsWith(p.toLowerCase())) out = mergeCaption(out, p, 'prepend');
  if (s && !out.toLowerCase().endsWith(s.toLowerCase())) out = mergeCaption(out, s, 'append');
  return out;
}
