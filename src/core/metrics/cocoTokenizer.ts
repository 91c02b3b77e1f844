/**
 * Tokenization of raw caption text as the COCO caption evaluation does it before BLEU and CIDEr-D:
 * pycocoevalcap's PTBTokenizer runs Stanford CoreNLP 3.4.1's PTBTokenizer with `-preserveLines -lowerCase`
 * (its default PTB3 escaping: no British-to-American respelling, no slash escaping in that version), then
 * drops the tokens in its punctuation list. Implemented here from the lexer's grammar (PTBLexer.flex at
 * CoreNLP's tag v3.4.1) for the rules that shape captions; its rules for URLs, phone numbers, SGML tags and
 * Asian smileys are left out (such text splits at its punctuation instead). Checked against that CoreNLP,
 * built from source, on 3,056 lines (2 differ); 1,556 of them are kept in test/fixtures/coco-tokenizer.
 *
 * What it does, in the lexer's own priority (longest match first, then rule order):
 * - Words are letters and digits (any script, with combining marks); hyphenated words stay whole
 *   ("black-and-white", "t-shirt"), as do numbers ("3.5", "1,000"), dates, fractions ("1/2"; "½" becomes
 *   "1/2") and slash compounds ("and/or").
 * - Clitics split off and stay: "dog's" -> "dog 's", "don't" -> "do n't", "can't" -> "ca n't", "they're"
 *   -> "they 're", "cannot" -> "can not", "gonna" -> "gon na"; curly apostrophes become straight ones.
 * - Quotes become `` ` '' ' and are dropped; , ; : . ? ! - -- ... and dashes (– — become --) are dropped.
 *   Runs the list lacks stay: "?!", "!!", "-----" (five hyphens).
 * - Brackets become -lrb- -rrb- -lsb- -rsb- -lcb- -rcb- and STAY: the evaluation lowercases before it
 *   filters, and its list has them in capitals ("-LRB-"), so they never match.
 * - A single letter or an acronym keeps its period ("u.s.", "a."; a lone letter gives it back before a
 *   capitalised word that often starts a sentence: "a. The" -> "a the"), as do a few abbreviations ("mr.",
 *   "dr.", "st.", "etc."), and a word whose period a comma, semicolon or colon follows at once ("end.,").
 * - Symbols (& % + = / # @ $ ° ×…) are tokens of their own; ¢ £ € become cents # $; e-mail addresses,
 *   @names and #tags stay whole; ":)" becomes ":-rrb-"; characters CoreNLP cannot tokenize (emoji,
 *   control characters) are deleted.
 * - Everything is lowercased. Text that is already lowercase words separated by spaces comes back unchanged.
 */

/** The tokens pycocoevalcap's PTBTokenizer drops after tokenizing (compared after lowercasing). */
export const COCO_PUNCTUATION: ReadonlySet<string> = new Set(["''", "'", '``', '`', '-LRB-', '-RRB-', '-LCB-', '-RCB-',
  '.', '?', '!', ',', ':', '-', '--', '...', ';']);

const L = '[\\p{L}\\p{M}\\u00AD]'; // a letter (CoreNLP's LETTER: letters, combining marks, the soft hyphen)
const LD = '[\\p{L}\\p{M}\\p{Nd}]';
const D = '\\p{Nd}';
const APOS = "(?:['\\u0092\\u2019]|&apos;)";
const APOS_ANY = "(?:['\\u0092\\u2019`\\u0091\\u2018\\u201B]|&apos;)";
const WORD = `${L}(?:${L}|${D})*(?:[.!?]${L}(?:${L}|${D})*)*`;
const REDAUX = `${APOS}(?:[msd]|re|ve|ll)`;
const SWORD = '[a-z\\u00AD]*[a-mo-z]\\u00AD*';
const SREDAUX = `n${APOS_ANY}t`;
const HYPHEN = '[-_\\u058A\\u2010\\u2011]';
const INSENTP = '[,;:\\u3001]';
const ACRO2 = '[a-z](?:\\.[a-z])+';
const THING = `(?:[dol]${APOS_ANY}${LD})?${LD}+(?:${HYPHEN}(?:[dol]${APOS_ANY}${LD})?${LD}+)*`;
const HTHING = `[a-z0-9][a-z0-9.,\\u00AD]*(?:-(?:[a-z0-9\\u00AD]+|${ACRO2}\\.))+`;
const THINGA = '[A-Z]+(?:(?:[+&]|&amp;)[A-Z]+)+';
// Abbreviations that keep their period: those CoreNLP expects before lower-case words (its ABBREV1, which
// wins over a longer word by the two characters it looks ahead) and titles (ABBREV2); a selection of both.
const ABBREVIATIONS_1 = 'jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec|mon|tue|tues|wed|thu|thurs|fri|inc|corp|ltd|cos?|jr|sr|etc|al|blvd|rd';
const ABBREVIATIONS_2 = 'mrs?|ms|drs?|profs?|st|ste|mt|ft|ave|gen|col|lt|sgt|capt|rev|sens?|reps?|govs?|vs';
const SENTENCE_STARTS = 'About|According|Additionally|After|An|A|As|At|But|Earlier|He|Her|Here|However|If|In|It|Last|Many|More|' +
  'Mr\\.|Ms\\.|Now|Once|One|Other|Our|She|Since|So|Some|Such|That|The|Their|Then|There|These|They|This|We|When|While|What|Yet|You';
const QUOTE_CHARS = '`\\u2018\\u2019\\u201A\\u201B\\u201C\\u201D\\u0091\\u0092\\u0093\\u0094\\u201E\\u201F\\u2039\\u203A\\u00AB\\u00BB';
const MISC_SYMBOL = '[+%&~^|\\\\\\u00A6\\u00A7\\u00A8\\u00A9\\u00AC\\u00AE\\u00AF\\u00B0-\\u00BA\\u00D7\\u00F7\\u2016\\u2017' +
  '\\u2020-\\u2023\\u2030-\\u2038\\u203B\\u203E-\\u2042\\u2044\\u207A-\\u207F\\u208A-\\u208E\\u2100-\\u214F\\u2190-\\u21FF' +
  '\\u2200-\\u2BFF\\u3012\\u30FB\\uFF01-\\uFF0F\\uFF1A-\\uFF20\\uFF3B-\\uFF40\\uFF5B-\\uFF65]';

/**
 * One lexer rule: `pattern` matches at the position (its length decides the longest match); the token is
 * group 1 when the rule has a trailing context (group 2, matched but not consumed), else the whole match.
 * `keep` consumes fewer characters than matched ("cannot" gives "can", "not" is lexed again).
 */
interface Rule {
  readonly pattern: RegExp;
  readonly emit?: (text: string) => string;
  readonly keep?: (text: string) => number;
}

// The lexer is caseless for literal strings but not for character classes, so a class written with one
// case only ([A-Z]) is compiled without the i flag: `cased`.
const rule = (source: string, emit?: (text: string) => string, keep?: (text: string) => number): Rule =>
  ({ pattern: new RegExp(source, 'iuy'), emit, keep });
const cased = (source: string, emit?: (text: string) => string): Rule => ({ pattern: new RegExp(source, 'uy'), emit });

/** One rule per alternative: a regex alternation takes its first alternative that matches, the lexer the longest. */
const rules = (sources: readonly string[], emit?: (text: string) => string): Rule[] => sources.map((s) => rule(s, emit));

const removeSoftHyphens = (text: string): string => text.replace(/\u00AD/g, '') || '-';

/** CoreNLP's latexQuotes: straight quotes by their side, curly ones by their shape. */
function latexQuotes(text: string, probablyLeft: boolean): string {
  return text
    .replace(/&apos;|'/g, probablyLeft ? '`' : "'")
    .replace(/"|&quot;/g, probablyLeft ? '``' : "''")
    .replace(/[\u0091\u2018\u201B\u2039]/g, '`')
    .replace(/[\u0092\u2019\u203A]/g, "'")
    .replace(/[\u0093\u201C\u00AB]/g, '``')
    .replace(/[\u0094\u201D\u00BB]/g, "''");
}
const rightQuote = (text: string): string => latexQuotes(text, false);

const FRACTIONS: Readonly<Record<string, string>> = { '\u00BC': '1/4', '\u00BD': '1/2', '\u00BE': '3/4', '\u2153': '1/3', '\u2154': '2/3' };
const CURRENCY: Readonly<Record<string, string>> = { '\u00A2': 'cents', '\u00A3': '#', '\u0080': '$', '\u00A4': '$', '\u20A0': '$', '\u20AC': '$' };
const BRACKETS: Readonly<Record<string, string>> = { '(': '-LRB-', ')': '-RRB-', '[': '-LSB-', ']': '-RSB-', '{': '-LCB-', '}': '-RCB-' };

// In the order of CoreNLP 3.4.1's PTBLexer.flex, which breaks ties between matches of equal length.
const RULES: readonly Rule[] = [
  rule('c\\+\\+|[cf]#'),
  rule('cannot', undefined, () => 3),
  rule('gonna|gotta|lemme|gimme|wanna', undefined, (t) => t.length - 2),
  rule('[\\u0096\\u0097\\u2013\\u2014\\u2015]|&(?:MD|mdash|ndash);', () => '--'),
  rule('&amp;', () => '&'),
  rule(`(${WORD})(${REDAUX})`, removeSoftHyphens),
  rule(`(${SWORD})(${SREDAUX})`, removeSoftHyphens),
  rule(WORD, removeSoftHyphens),
  ...rules([`${APOS}n${APOS}?`, `[ldj]${APOS}`, `dunkin${APOS}`, `somethin${APOS}`, `ol${APOS}`, `${APOS}em`, `${APOS}[2-9]0s`,
    `${APOS}till?`, `${APOS}cause`, "cont'd\\.?", "'twas", "nor'easter", "c'mon", "e'er", "s'mores", "ev'ry", "li'l", "nat'l",
    `o${APOS_ANY}o`]),
  cased(`[A-HJ-XZn]${APOS_ANY}\\p{L}{2,}`),
  cased(`\\p{L}+[aeiouyAEIOUY]${APOS_ANY}[aeiouA-Z]\\p{L}*`),
  rule(`(y${APOS})(\\p{L})`),
  rule(`(?:&lt;|<)?[a-z0-9][^ \\t\\n\\f\\r"<>|()\\u00A0{}]*@(?:[^ \\t\\n\\f\\r"<>|(){}.\\u00A0]+\\.)*[^ \\t\\n\\f\\r"<>|(){}.\\u00A0]+(?:&gt;|>)?`),
  ...rules(['@[a-z_][a-z_0-9]*', `#${L}+`]),
  rule(`(${REDAUX})([^a-z])`, rightQuote),
  rule(`(${SREDAUX})([^a-z])`, rightQuote),
  rule(`${D}{1,2}[-/]${D}{1,2}[-/]${D}{2,4}`),
  ...rules([`[-+]?${D}+`, `[-+]?${D}*(?:[.:,\\u00AD\\u066B\\u066C]${D}+)+`], removeSoftHyphens),
  rule('[\\u207A\\u207B\\u208A\\u208B]?(?:[\\u2070\\u00B9\\u00B2\\u00B3\\u2074-\\u2079]+|[\\u2080-\\u2089]+)'),
  rule(`(?:${D}{1,4}[- \\u00A0])?${D}{1,4}(?:\\\\?/|\\u2044)${D}{1,4}`, (t) => t.replace(/ /g, '\u00A0')),
  rule('[\\u00BC\\u00BD\\u00BE\\u2153-\\u215E]', (t) => FRACTIONS[t] ?? t),
  rule('[a-z0-9]+(?:-[a-z]+){0,2}(?:\\\\?/[a-z0-9]+(?:-[a-z]+){0,2}){1,2}'),
  cased('[A-Z]*\\$|#'),
  rule('[\\u00A2\\u00A3\\u00A4\\u00A5\\u0080\\u20A0\\u20AC\\u060B\\u0E3F\\u20A4\\uFFE0\\uFFE1\\uFFE5\\uFFE6]', (t) => CURRENCY[t] ?? t),
  rule(`(${APOS}${D}${D})(\\s|$)`),
  rule(`((?:${ABBREVIATIONS_1})\\.)([\\s\\S]{2})`),
  // An acronym before a word that usually starts a sentence: a lone letter gives back its period ("a." -> "a").
  { pattern: new RegExp(`([A-Za-z](?:\\.[A-Za-z])*\\.)(\\s+(?:${SENTENCE_STARTS})\\s)`, 'uy'), keep: (t) => (t.length === 2 ? 1 : t.length) },
  rule(`(?:${ABBREVIATIONS_1})\\.`),
  rule(`(?:${ABBREVIATIONS_2})\\.`),
  rule('[a-z](?:\\.[a-z])*\\.'),
  rule(`(${WORD}\\.)(${INSENTP})`, removeSoftHyphens),
  rule('("|&quot;)([a-z0-9$])', (t) => latexQuotes(t, true)),
  rule('"|&quot;', rightQuote),
  rule('<|&lt;', () => '<'),
  cased(`([<>]?[:;=][-o*']?[()DPdpO\\\\{@|\\[\\]])([^A-Za-z0-9])`, (t) => t.replace(/\(/g, '-LRB-').replace(/\)/g, '-RRB-')),
  rule('>|&gt;', () => '>'),
  rule('[()\\[\\]{}]', (t) => BRACKETS[t]),
  rule('-+', (t) => (t.length >= 3 && t.length <= 4 ? '--' : t)),
  rule('\\.{3,5}|(?:\\.[ \\u00A0]){2,4}\\.|[\\u0085\\u2026]', () => '...'),
  rule('@+|#+|_+'),
  rule('\\*+'),
  rule(INSENTP),
  rule('[?!]+'),
  rule('[.\\u00A1\\u00BF\\u037E\\u0589\\u061F\\u06D4\\u0700-\\u0702\\u07FA\\u3002]'),
  rule('='),
  rule('/'),
  rule(`(${HTHING}\\.)(${INSENTP})`, removeSoftHyphens),
  rule(HTHING, removeSoftHyphens),
  rule(`(${THING}\\.)(${INSENTP})`),
  rule(THING),
  cased(`(${THINGA}\\.)(${INSENTP})`, (t) => t.replace(/&amp;/g, '&')),
  cased(THINGA, (t) => t.replace(/&amp;/g, '&')),
  rule("(')([a-z][^ \\t\\n\\r\\u00A0])", (t) => latexQuotes(t, true)),
  rule(REDAUX, rightQuote),
  rule(SREDAUX, rightQuote),
  ...rules([APOS, "''", `[${QUOTE_CHARS}]{1,2}`], rightQuote),
  rule('<<|>>'),
  rule(MISC_SYMBOL),
];

/** CoreNLP's tokens of one line, before lowercasing and the punctuation filter. */
export function ptbTokens(text: string): string[] {
  const tokens: string[] = [];
  let at = 0;
  while (at < text.length) {
    let best: { rule: Rule; match: RegExpExecArray } | undefined;
    for (const candidate of RULES) {
      candidate.pattern.lastIndex = at;
      const match = candidate.pattern.exec(text);
      if (match && match[0].length > 0 && (!best || match[0].length > best.match[0].length)) best = { rule: candidate, match };
    }
    if (!best) {
      // Whitespace separates; anything else no rule takes is deleted, as CoreNLP does by default.
      at += (text.codePointAt(at) ?? 0) > 0xffff ? 2 : 1;
      continue;
    }
    const matched = best.match[1] ?? best.match[0];
    const consumed = best.rule.keep ? best.rule.keep(matched) : matched.length;
    const token = matched.slice(0, consumed);
    tokens.push(best.rule.emit ? best.rule.emit(token) : token);
    at += consumed;
  }
  return tokens;
}

/** Tokens of a caption as the COCO caption evaluation scores it: CoreNLP's tokens, lowercased, its punctuation dropped. */
export function cocoTokens(caption: string): string[] {
  const tokens: string[] = [];
  // COCO lexes captions one per line: a newline follows each, which decides rules that look ahead ("she'll").
  for (const token of ptbTokens(`${caption.replace(/\n/g, ' ')}\n`)) {
    const lower = token.toLowerCase();
    if (!COCO_PUNCTUATION.has(lower)) tokens.push(lower);
  }
  return tokens;
}
