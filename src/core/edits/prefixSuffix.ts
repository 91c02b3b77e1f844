import { mergeCaption, trimMarks } from '../captioning/captionMerge';
import { CaptionSource, EditOptionError, EditPlan, planEdits } from './editPlan';

export interface PrefixSuffixOptions {
  readonly prefix?: string;
  readonly suffix?: string;
  /** Leaves a caption alone at the end where it already starts (ends) with the text; default true. */
  readonly skipIfPresent?: boolean;
  /**
   * The joint. By default ', ' when the typed text has a comma at the joint ("ohwx, ") or either
   * side is a tag list, else one space (as batch append does).
   */
  readonly separator?: string;
}

/**
 * Adds text before and/or after each caption, never doubling spaces or commas at the joint and
 * keeping the final line break. A blank caption becomes the prefix/suffix alone. Images without a
 * caption file are left alone: adding a trigger word must not invent captions for uncaptioned images.
 */
export function addPrefixSuffix(sources: readonly CaptionSource[], options: PrefixSuffixOptions): EditPlan {
  const prefix = options.prefix?.trim() ?? '';
  const suffix = options.suffix?.trim() ?? '';
  if (!prefix && !suffix) throw new EditOptionError('Type a prefix, a suffix or both.', 'prefix');
  const skip = options.skipIfPresent ?? true;
  const prefixJoint = options.separator ?? (prefix.endsWith(',') ? ', ' : undefined);
  const suffixJoint = options.separator ?? (suffix.startsWith(',') ? ', ' : undefined);
  const edit = (text: string): string => {
    let result = text;
    if (prefix && !(skip && startsWithPhrase(result, prefix))) result = mergeCaption(result, prefix, 'prepend', prefixJoint);
    if (suffix && !(skip && endsWithPhrase(result, suffix))) result = mergeCaption(result, suffix, 'append', suffixJoint);
    return result;
  };
  const parts = [prefix ? `prefix "${prefix}"` : '', suffix ? `suffix "${suffix}"` : ''].filter(Boolean);
  return planEdits(`Add ${parts.join(' and ')}`, sources, edit);
}

/** The phrase without the separator marks the user may have typed around it ("ohwx, " → "ohwx"). */
function core(phrase: string): string {
  return trimMarks(trimMarks(phrase, SEPARATOR_MARKS, 'start'), SEPARATOR_MARKS, 'end');
}

const SEPARATOR_MARKS = [',', ';', '|'];

const WORD_CHAR = /[\p{L}\p{N}\p{M}_]/u;

/** True when the caption starts with the phrase as a whole word ("ohwx" is not present in "ohwxyz"). */
function startsWithPhrase(text: string, phrase: string): boolean {
  const wanted = core(phrase);
  const body = text.trimStart();
  return wanted !== '' && body.startsWith(wanted) && !WORD_CHAR.test(body.charAt(wanted.length));
}

function endsWithPhrase(text: string, phrase: string): boolean {
  const wanted = core(phrase);
  const body = text.trimEnd();
  return wanted !== '' && body.endsWith(wanted) && !WORD_CHAR.test(body.charAt(body.length - wanted.length - 1));
}
