/**
 * Dataset and server text (file names, captions, error bodies) made inert for each VS Code surface
 * that would otherwise read it as markup. What each surface renders (VS Code 1.139's workbench):
 * - notifications (and progress notifications): `[label](https://…|command:…|file:…)` becomes a
 *   link, and a `command:` link runs the command when clicked; no icons;
 * - input box prompts and validation messages: the same links, plus `$(icon)` codicons;
 * - quick pick labels, descriptions and details, status bar texts: `$(icon)` codicons;
 * - modal dialogs, quick input titles, tree labels and string tooltips: plain text.
 * Markdown tooltips escape through `MarkdownString.appendText` instead.
 */

/** Longest notification VS Code shows (it cuts the rest itself). */
export const NOTIFICATION_MAX = 1000;
/** Longest label, description or detail of a pick, or an input box message. */
export const LABEL_MAX = 300;

/** Invisible, and not a line-break opportunity: keeps `](` from being read as a link while the text looks the same. */
const WORD_JOINER = '\u2060';

/** Text shown in a notification or a modal message: links become text; bounded. */
export function notificationText(text: string, max = NOTIFICATION_MAX): string {
  return withoutLinks(clipText(text, max));
}

/** Text shown where `$(icon)` renders (quick pick items, status bar): icons stay literal; bounded. */
export function labelText(text: string, max = LABEL_MAX): string {
  return literalIcons(clipText(text, max));
}

/** Text shown as an input box prompt or validation message: neither links nor icons; bounded. */
export function inputMessageText(text: string, max = LABEL_MAX): string {
  return literalIcons(withoutLinks(clipText(text, max)));
}

/** At most `max` characters (an ellipsis marks the cut); never splits a surrogate pair. */
export function clipText(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = Math.max(0, max - 1);
  if (end > 0 && isHighSurrogate(text.charCodeAt(end - 1))) end--;
  return `${text.slice(0, end)}…`;
}

/** VS Code's linked-text parser needs `](` verbatim: a word joiner between them leaves no link to parse. */
function withoutLinks(text: string): string {
  return text.replaceAll('](', `]${WORD_JOINER}(`);
}

/** What VS Code renders as an icon: `$(name)` or `$(name~modifier)`. */
const ICON = /\$\([A-Za-z0-9-]+(?:~[A-Za-z]+)?\)/g;

/** `\$(name)` is VS Code's escape for a literal `$(name)`; a backslash already before it then shows as typed. */
function literalIcons(text: string): string {
  return text.replace(ICON, (icon) => `\\${icon}`);
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
