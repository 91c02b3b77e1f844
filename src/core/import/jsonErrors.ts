/**
 * JSON.parse with errors that say where. JSON.parse is fast but V8 often omits the position;
 * on failure only, momoa (a JSON parser that tracks locations) finds the first error's offset.
 */

import { parse as parseWithLocations } from '@humanwhocodes/momoa';
import { ImportParseError } from './importTypes';

const TOKEN_TEXT: Record<string, string> = {
  LBrace: "'{'", RBrace: "'}'", LBracket: "'['", RBracket: "']'", Colon: "':'", Comma: "','",
  String: 'a string', Number: 'a number', Boolean: 'a boolean', Null: 'null',
};

/** Parses `text`; a syntax error becomes an ImportParseError at its line and column (`firstLine` is the text's own first line). */
export function parseJsonAt(text: string, file: string, firstLine = 1): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    if (!(err instanceof SyntaxError)) throw err;
    const { offset, reason } = locateSyntaxError(text, err);
    const before = text.slice(0, offset);
    const line = firstLine + before.split('\n').length - 1;
    const column = offset - (before.lastIndexOf('\n') + 1) + 1;
    throw new ImportParseError(file, `JSON parse error: ${reason} (position ${offset})`, line, column);
  }
}

function locateSyntaxError(text: string, err: SyntaxError): { offset: number; reason: string } {
  if (/Unexpected end of JSON input/.test(err.message)) {
    return { offset: text.trimEnd().length, reason: 'the text ends before the JSON value is complete (is the file cut off?)' };
  }
  try {
    parseWithLocations(text, { mode: 'json' });
  } catch (located) {
    const offset = (located as { offset?: unknown }).offset;
    if (typeof offset === 'number') return { offset, reason: describe((located as Error).message) };
  }
  // momoa accepts a few things JSON.parse refuses (raw line breaks in strings): V8's own position then.
  const position = /at position (\d+)/.exec(err.message);
  return { offset: position ? Number(position[1]) : text.length, reason: err.message.replace(/ in JSON at position \d+.*$/s, '') };
}

/** "Unexpected token RBrace found. (1:8)" → "unexpected '}'". */
function describe(message: string): string {
  const token = /^Unexpected token (\w+) found/.exec(message);
  if (token) return `unexpected ${TOKEN_TEXT[token[1]] ?? token[1]}`;
  const char = /^Unexpected character '(.+)' found/.exec(message);
  if (char) return `unexpected character '${char[1]}'`;
  return message.replace(/\s*\(\d+:\d+\)\s*$/, '').replace(/\.$/, '');
}

/** A short description of a JSON value's type for messages: "a number", "an array", "null". */
export function jsonTypeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  const t = typeof value;
  return t === 'object' || t === 'undefined' ? `an ${t}` : `a ${t}`;
}
