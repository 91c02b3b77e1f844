/** Text from a dataset or a server printed to a terminal: data, never control sequences. */

/** C0 and C1 controls, DEL, and the bidirectional overrides that can reorder what a line shows. */
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/**
 * `text` with every control character written as `\uXXXX`: an escape sequence in a file name or a
 * caption cannot move the cursor, retitle the window or fake a line of output.
 */
export function terminalText(text: string): string {
  return text.replace(UNPRINTABLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
