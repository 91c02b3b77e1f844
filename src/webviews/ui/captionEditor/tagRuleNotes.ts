/**
 * The tag rules' notes under the caption: a banned tag, a missing required tag or a tag out of order,
 * each a line with its fix as a button (one click, one undo step in the host). Tags come from data:
 * set as text, never markup.
 */
import type { TagRuleNote } from '../../protocol/captionEditorMessages';

export class TagRuleNotes {
  private readonly list: HTMLElement;

  constructor(parent: HTMLElement, before: Element | null, onFix: (index: number, message: string) => void) {
    this.list = document.createElement('div');
    this.list.className = 'tag-rule-notes';
    this.list.hidden = true;
    this.list.setAttribute('role', 'list');
    this.list.setAttribute('aria-label', 'Tag rules');
    parent.insertBefore(this.list, before);
    this.list.addEventListener('click', (event) => {
      const button = (event.target as HTMLElement).closest('button');
      const row = button?.closest<HTMLElement>('.tag-rule-note');
      if (!button || !row) return;
      button.disabled = true; // the host answers with the fixed text and new notes
      onFix(Number(row.dataset.index), row.dataset.message ?? '');
    });
  }

  /** Replaces the notes. */
  show(notes: readonly TagRuleNote[]): void {
    this.list.replaceChildren(
      ...notes.map((note, index) => {
        const row = document.createElement('div');
        row.className = `tag-rule-note ${note.kind}`;
        row.setAttribute('role', 'listitem');
        row.dataset.index = String(index);
        row.dataset.message = note.message;
        const icon = document.createElement('span');
        icon.className = `codicon ${note.kind === 'banned-tag' ? 'codicon-error' : 'codicon-warning'}`;
        const text = document.createElement('span');
        text.className = 'tag-rule-message';
        text.textContent = note.message;
        const fix = document.createElement('button');
        fix.type = 'button';
        fix.className = 'tag-rule-fix';
        fix.textContent = note.fixTitle;
        row.append(icon, text, fix);
        return row;
      }),
    );
    this.list.hidden = notes.length === 0;
  }
}
