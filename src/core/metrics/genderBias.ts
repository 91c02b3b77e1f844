/** Gender words, configurable; every entry is a lowercase whole word (possessive 's is stripped before lookup). */
export interface GenderWordLists {
  readonly male: readonly string[];
  readonly female: readonly string[];
  /** Words that name a person without a gender; counted, never an error. */
  readonly neutral: readonly string[];
}

export const DEFAULT_GENDER_WORDS: GenderWordLists = {
  male: ['man', 'men', 'boy', 'boys', 'he', 'him', 'his', 'himself', 'male', 'males', 'gentleman', 'gentlemen', 'guy', 'guys',
    'father', 'dad', 'son', 'brother', 'husband', 'boyfriend', 'king', 'grandfather', 'uncle', 'mr', 'sir'],
  female: ['woman', 'women', 'girl', 'girls', 'she', 'her', 'hers', 'herself', 'female', 'females', 'lady', 'ladies', 'gal',
    'mother', 'mom', 'daughter', 'sister', 'wife', 'girlfriend', 'queen', 'grandmother', 'aunt', 'mrs', 'ms', 'madam'],
  neutral: ['person', 'people', 'persons', 'child', 'children', 'kid', 'kids', 'they', 'them', 'their', 'someone', 'individual',
    'adult', 'adults', 'baby', 'toddler', 'teenager', 'player', 'rider', 'skier', 'surfer', 'worker', 'friend', 'friends'],
};

/** What a text says about gender: which gendered groups it names. */
export type GenderMention = 'male' | 'female' | 'both' | 'neutral' | 'none';

/** An image whose caption names a gender other than its references'. */
export interface GenderMismatch {
  readonly id: string;
  /** The one gender the references name. */
  readonly expected: 'male' | 'female';
  /** What the caption names: the other gender, or both. */
  readonly named: 'male' | 'female' | 'both';
  readonly candidate: string;
  /** The caption's words of the other gender, in order. */
  readonly wrongWords: readonly string[];
}

export interface GenderBiasReport {
  /** Images whose references name one gender and never the other: the denominator. */
  readonly gendered: number;
  /** Of those, captions naming the other gender (alone or with the right one): the numerator. */
  readonly misclassified: number;
  /** misclassified ÷ gendered (seed 004's misclassification rate); undefined when no image is gendered (never a silent 0). */
  readonly rate: number | undefined;
  /** Of the gendered, captions naming the right gender only. */
  readonly correct: number;
  /** Of the gendered, captions naming no gender (a neutral word or no person word): not misclassified. */
  readonly neutral: number;
  /** Of the misclassified, captions naming both genders. */
  readonly namedBoth: number;
  /** Images left out: references name both genders. */
  readonly mixedReferences: number;
  /** Images left out: references name no gender (or there are none). */
  readonly ungenderedReferences: number;
  readonly mismatches: readonly GenderMismatch[];
}

/** One image: the model's caption and the human references. */
export interface GenderBiasItem {
  readonly id: string;
  readonly candidate: string;
  readonly references: readonly string[];
}

/** Lowercase words, with a trailing possessive 's or ’s dropped ("man's" is "man"). */
function words(text: string): string[] {
  return (text.toLowerCase().match(/[\p{L}\p{N}]+(?:['\u2019][\p{L}]+)*/gu) ?? []).map((w) => w.replace(/['\u2019]s$/u, ''));
}

/** Which gendered groups `text` names, with the words found. */
export function genderMention(text: string, lists: GenderWordLists = DEFAULT_GENDER_WORDS): { mention: GenderMention; male: string[]; female: string[] } {
  const male = new Set(lists.male.map((w) => w.toLowerCase()));
  const female = new Set(lists.female.map((w) => w.toLowerCase()));
  const neutral = new Set(lists.neutral.map((w) => w.toLowerCase()));
  const found = { male: [] as string[], female: [] as string[] };
  let anyNeutral = false;
  for (const w of words(text)) {
    if (male.has(w)) found.male.push(w);
    else if (female.has(w)) found.female.push(w);
    else if (neutral.has(w)) anyNeutral = true;
  }
  const mention: GenderMention = found.male.length > 0 && found.female.length > 0 ? 'both'
    : found.male.length > 0 ? 'male' : found.female.length > 0 ? 'female' : anyNeutral ? 'neutral' : 'none';
  return { mention, ...found };
}

/**
 * Seed 004's misclassification rate. An image counts when its references, taken together, name
 * exactly one gender (references naming both, e.g. "a man and a woman", or none are left out and
 * counted). Its caption is misclassified when it names the other gender — alone, or together with
 * the right one ("both" counts as misclassified: it names a different gender). A caption naming
 * no gender (neutral words or none) is not misclassified; it is counted as `neutral`.
 */
export function genderBias(items: readonly GenderBiasItem[], lists: GenderWordLists = DEFAULT_GENDER_WORDS): GenderBiasReport {
  let gendered = 0, correct = 0, neutral = 0, namedBoth = 0, mixedReferences = 0, ungenderedReferences = 0;
  const mismatches: GenderMismatch[] = [];
  for (const item of items) {
    let male = false;
    let female = false;
    for (const reference of item.references) {
      const m = genderMention(reference, lists).mention;
      male ||= m === 'male' || m === 'both';
      female ||= m === 'female' || m === 'both';
    }
    if (male && female) { mixedReferences++; continue; }
    if (!male && !female) { ungenderedReferences++; continue; }
    gendered++;
    const expected = male ? 'male' : 'female';
    const caption = genderMention(item.candidate, lists);
    if (caption.mention === expected) correct++;
    else if (caption.mention === 'neutral' || caption.mention === 'none') neutral++;
    else {
      if (caption.mention === 'both') namedBoth++;
      mismatches.push({ id: item.id, expected, named: caption.mention, candidate: item.candidate, wrongWords: expected === 'male' ? caption.female : caption.male });
    }
  }
  return {
    gendered, misclassified: mismatches.length, rate: gendered > 0 ? mismatches.length / gendered : undefined,
    correct, neutral, namedBoth, mixedReferences, ungenderedReferences, mismatches,
  };
}
