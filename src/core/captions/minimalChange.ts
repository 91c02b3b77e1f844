/** The single replacement that turns `before` into `after`: common prefix and suffix kept. */
export function minimalChange(before: string, after: string): { start: number; endOld: number; inserted: string } {
  let start = 0;
  const max = Math.min(before.length, after.length);
  while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let endOld = before.length;
  let endNew = after.length;
  while (endOld > start && endNew > start && before.charCodeAt(endOld - 1) === after.charCodeAt(endNew - 1)) {
    endOld--;
    endNew--;
  }
  // Never cut a surrogate pair in two.
  if (start > 0 && isHighSurrogate(before.charCodeAt(start - 1))) start--;
  if (endOld < before.length && isLowSurrogate(before.charCodeAt(endOld))) {
    endOld++;
    endNew++;
  }
  return { start, endOld, inserted: after.slice(start, endNew) };
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}
