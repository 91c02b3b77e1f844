import type { EditPlan } from '../core/edits/editPlan';

/** Files listed in full in a preview; the rest are counted, so a 100,000-file plan previews instantly. */
const MAX_LISTED = 500;

/** A plan as a unified-diff-like listing: one block per caption, old lines with '-', new ones with '+'. */
export function diffListing(plan: EditPlan, relative: (file: string) => string): string {
  const lines = [
    `# ${plan.operation}`,
    `# ${plan.changes.length} caption(s) change${plan.deletions.length ? `, ${plan.deletions.length} empty caption file(s) are deleted` : ''}, ${plan.unchanged} unchanged${plan.matches ? `, ${plan.matches} match(es)` : ''}.`,
    '# Apply or cancel in the notification.',
    '',
  ];
  for (const change of plan.changes.slice(0, MAX_LISTED)) {
    lines.push(`--- ${relative(change.captionPath)}${change.before === undefined ? ' (new file)' : ''}`);
    if (change.before !== undefined) for (const line of linesOf(change.before)) lines.push(`-${line}`);
    for (const line of linesOf(change.after)) lines.push(`+${line}`);
    lines.push('');
  }
  if (plan.changes.length > MAX_LISTED) lines.push(`# … and ${plan.changes.length - MAX_LISTED} more captions`, '');
  for (const file of plan.deletions.slice(0, MAX_LISTED)) lines.push(`--- ${relative(file)} (deleted)`);
  return lines.join('\n');
}

/** Lines of a caption; a final line break does not make an extra empty line. */
function linesOf(text: string): string[] {
  return (text.endsWith('\n') ? text.slice(0, -1) : text).split('\n');
}
