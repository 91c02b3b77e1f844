export type ParamValue = number | string | boolean;
export type ParamMap = Readonly<Record<string, ParamValue>>;

/** A bad `key=value` pair, with where it is in the text the user typed. */
export class ParamSyntaxError extends Error {
  constructor(message: string, readonly position: number) {
    super(message);
    this.name = 'ParamSyntaxError';
  }
}

/** What each known parameter accepts; unknown keys pass through as typed values. */
const KNOWN: Readonly<Record<string, { kind: 'int' | 'number'; min: number; max: number }>> = {
  max_tokens: { kind: 'int', min: 1, max: 32768 },
  temperature: { kind: 'number', min: 0, max: 2 },
  top_p: { kind: 'number', min: 0, max: 1 },
  top_k: { kind: 'int', min: 0, max: 1000 },
  seed: { kind: 'int', min: 0, max: 2 ** 53 - 1 },
  frequency_penalty: { kind: 'number', min: -2, max: 2 },
  presence_penalty: { kind: 'number', min: -2, max: 2 },
  repetition_penalty: { kind: 'number', min: 0, max: 10 },
  num_beams: { kind: 'int', min: 1, max: 32 },
};

const MAX_PARAMS_LENGTH = 4096;

/**
 * Parses the seed tool's advanced-parameter syntax: `max_tokens=1024, temperature=0.2, top_p=0.2`.
 * Values become numbers, booleans or strings ("quoted" keeps commas); known keys are range-checked.
 */
export function parseParams(text: string): ParamMap {
  // The pattern below backtracks over long runs of spaces; no real parameter string comes near this.
  if (text.length > MAX_PARAMS_LENGTH) throw new ParamSyntaxError(`the parameters are ${text.length} characters long; at most ${MAX_PARAMS_LENGTH} are read`, MAX_PARAMS_LENGTH);
  const params: Record<string, ParamValue> = {};
  const re = /\s*([^=,\s][^=,]*?)\s*=\s*("(?:[^"\\]|\\.)*"|[^,]*?)\s*(?:,|$)/y;
  let at = 0;
  const source = text.trim();
  while (at < source.length) {
    re.lastIndex = at;
    const m = re.exec(source);
    if (!m || m[0].length === 0) {
      const start = at + (source.length - at - source.slice(at).trimStart().length);
      const end = source.indexOf(',', start);
      const piece = source.slice(start, end < 0 ? undefined : end).trim();
      throw new ParamSyntaxError(`"${piece}" at position ${start + 1} is not a key=value pair (example: temperature=0.2)`, start);
    }
    const key = m[1];
    at += m[0].indexOf(key); // positions name the key, not the spaces before it
    if (!/^[A-Za-z_][\w.-]*$/.test(key)) throw new ParamSyntaxError(`"${key}" at position ${at + 1} is not a valid parameter name`, at);
    if (m[2] === '') throw new ParamSyntaxError(`${key} at position ${at + 1} has no value`, at);
    if (key in params) throw new ParamSyntaxError(`${key} is given twice (position ${at + 1})`, at);
    params[key] = typedValue(key, m[2], at);
    at = re.lastIndex;
  }
  return params;
}

/** Writes params back in the same syntax (for settings and the editor's field). */
export function formatParams(params: ParamMap): string {
  return Object.entries(params)
    .map(([k, v]) => `${k}=${typeof v === 'string' && /[,"\s]/.test(v) ? JSON.stringify(v) : String(v)}`)
    .join(', ');
}

function typedValue(key: string, raw: string, position: number): ParamValue {
  let value: ParamValue;
  if (raw.startsWith('"')) value = JSON.parse(raw) as string;
  else if (raw === 'true' || raw === 'false') value = raw === 'true';
  else if (/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(raw)) value = Number(raw);
  else value = raw;
  const rule = KNOWN[key];
  if (!rule) return value;
  if (typeof value !== 'number') throw new ParamSyntaxError(`${key} must be a number, got "${raw}" (position ${position + 1})`, position);
  if (rule.kind === 'int' && !Number.isInteger(value)) throw new ParamSyntaxError(`${key} must be a whole number, got ${raw} (position ${position + 1})`, position);
  if (value < rule.min || value > rule.max) throw new ParamSyntaxError(`${key} must be between ${rule.min} and ${rule.max}, got ${raw} (position ${position + 1})`, position);
  return value;
}
