/** Splits a query into operators, parentheses and fully read terms (fields, quotes, comparisons). */
import { FIELD_NAMES, MAX_RATING, MEASURES, QuerySyntaxError } from './ast';
import type { ComparisonOperator, Measure, TermNode, TextField } from './ast';

export type Token =
  | { readonly type: 'lparen' | 'rparen' | 'and' | 'or' | 'not'; readonly position: number; readonly text: string }
  | { readonly type: 'term'; readonly position: number; readonly text: string; readonly node: TermNode };

/** Characters that end an unquoted word. */
const WORD_END = /[\s()|"]/u;
const SPACE = /\s/u;
const KEYWORDS: Readonly<Record<string, 'and' | 'or' | 'not'>> = { and: 'and', or: 'or', not: 'not' };
const MEASURE_START = new RegExp(`^(${MEASURES.join('|')})(?=$|[<>=!:])`, 'i');
const FIELD_PREFIX = /^([A-Za-z][A-Za-z0-9_]*):/;
const OPERATOR = /(>=|<=|!=|>|<|=)/y;
const RATING_START = /^(rating)(?=:|\s*(?:>=|<=|!=|>|<|=))/i;
const NUMBER = /\d+/y;

export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    if (SPACE.test(c)) {
      i++;
    } else if (c === '(' || c === ')' || c === '|') {
      tokens.push({ type: c === '(' ? 'lparen' : c === ')' ? 'rparen' : 'or', position: i, text: c });
      i++;
    } else if (c === '-') {
      const next = source[i + 1];
      if (next === undefined || (WORD_END.test(next) && next !== '"' && next !== '(')) {
        throw new QuerySyntaxError(`Expected a term right after "-" at position ${i}`, i, 1);
      }
      tokens.push({ type: 'not', position: i, text: '-' });
      i++;
    } else if (c === '"') {
      const quoted = readQuoted(source, i);
      tokens.push(term(source, i, quoted.end, { kind: 'text', field: 'any', value: quoted.value }));
      i = quoted.end;
    } else {
      const token = readWord(source, i);
      tokens.push(token);
      i = token.position + token.text.length;
    }
  }
  return tokens;
}

function term(source: string, start: number, end: number, node: TermNode): Token {
  return { type: 'term', position: start, text: source.slice(start, end), node };
}

/** A double-quoted string starting at `start`; a backslash takes the next character literally. */
function readQuoted(source: string, start: number): { value: string; end: number } {
  let value = '';
  for (let i = start + 1; i < source.length; i++) {
    const c = source[i];
    if (c === '\\' && i + 1 < source.length) {
      value += source[++i];
    } else if (c === '"') {
      if (!value) throw new QuerySyntaxError(`Expected text between the quotes at position ${start}`, start, i + 1 - start);
      return { value, end: i + 1 };
    } else {
      value += c;
    }
  }
  throw new QuerySyntaxError(`Expected a closing '"' for the quote at position ${start}`, start, source.length - start);
}

/** An unquoted word: a keyword, `empty`, `collision`, a comparison (`tokens>75`, `rating>=4`), `field:value` or a bare word. */
function readWord(source: string, start: number): Token {
  let end = start;
  while (end < source.length && !WORD_END.test(source[end])) end++;
  const word = source.slice(start, end);
  const lower = word.toLowerCase();

  const measure = MEASURE_START.exec(word);
  if (measure) return readComparison(source, start, measure[1], (operator, value) => ({ kind: 'compare', measure: measure[1].toLowerCase() as Measure, operator, value }));
  // `rating` alone stays a word to search for: only an operator or ':' after it makes it a comparison.
  const rating = RATING_START.exec(source.slice(start));
  if (rating) return readComparison(source, start, rating[1], ratingTerm(start, rating[1]), true);
  const keyword = KEYWORDS[lower];
  if (keyword) return { type: keyword, position: start, text: word };
  if (lower === 'empty' || lower === 'collision') return term(source, start, end, { kind: lower });

  const field = FIELD_PREFIX.exec(word);
  if (!field) return term(source, start, end, { kind: 'text', field: 'any', value: word });
  const name = field[1].toLowerCase() as TextField;
  if (!(FIELD_NAMES as readonly string[]).includes(name)) {
    const message = `Unknown field "${field[0]}" at position ${start} (fields: ${FIELD_NAMES.join(', ')})`;
    throw new QuerySyntaxError(message, start, field[0].length);
  }
  const valueStart = start + field[0].length;
  if (source[valueStart] === '"') {
    const quoted = readQuoted(source, valueStart);
    return term(source, start, quoted.end, { kind: 'text', field: name, value: quoted.value });
  }
  if (valueStart === end) {
    throw new QuerySyntaxError(`Expected a value after "${field[0]}" at position ${start}`, start, field[0].length);
  }
  return term(source, start, end, { kind: 'text', field: name, value: word.slice(field[0].length) });
}

/** The rating term for an operator and a number, or why that number is no rating. */
function ratingTerm(start: number, typedName: string): (operator: ComparisonOperator, value: number) => TermNode {
  return (operator, value) => {
    if (value > MAX_RATING) throw new QuerySyntaxError(`Ratings run from 0 (unrated) to ${MAX_RATING} stars: "${typedName}${operator}${value}" at position ${start} can never match`, start, typedName.length);
    return { kind: 'rating', operator, value };
  };
}

/** `chars>200`, also with spaces around the operator: `words <= 5`; with `colonIsEqual`, `rating:5` reads as `rating=5`. */
function readComparison(source: string, start: number, typedName: string, build: (operator: ComparisonOperator, value: number) => TermNode, colonIsEqual = false): Token {
  OPERATOR.lastIndex = skipSpaces(source, start + typedName.length);
  const colon = colonIsEqual && source[start + typedName.length] === ':';
  if (colon) OPERATOR.lastIndex = start + typedName.length + 1;
  const operator = colon ? ['', '='] : OPERATOR.exec(source);
  if (!operator) {
    const message = `"${typedName}" needs a comparison like ${typedName.toLowerCase()}>200 (position ${start})`;
    throw new QuerySyntaxError(message, start, typedName.length);
  }
  NUMBER.lastIndex = skipSpaces(source, OPERATOR.lastIndex);
  const number = NUMBER.exec(source);
  const end = number ? NUMBER.lastIndex : OPERATOR.lastIndex;
  if (!number || (end < source.length && !WORD_END.test(source[end]))) {
    let wordEnd = end;
    while (wordEnd < source.length && !WORD_END.test(source[wordEnd])) wordEnd++;
    const message = `Expected a whole number after "${source.slice(start, OPERATOR.lastIndex)}" at position ${start}`;
    throw new QuerySyntaxError(message, start, wordEnd - start);
  }
  return term(source, start, end, build(operator[1] as ComparisonOperator, Number(number[0])));
}

function skipSpaces(source: string, i: number): number {
  while (i < source.length && SPACE.test(source[i])) i++;
  return i;
}
