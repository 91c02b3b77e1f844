/**
 * Tag autocomplete under a text field (the caption editor's caption, the gallery's shared-tags
 * input): suggestions for the tag being typed (the text between the last comma before the caret and
 * the caret); Up/Down choose, Tab/Enter accept (the partial tag is replaced and ", " follows), Esc
 * closes. The host answers each request (`TagCompletionService`). Suggestions are data: rendered
 * with textContent only. A key it takes is default-prevented, so the field's own Enter can tell.
 */
import type { TagSuggestion } from '../../core/tagging/tagCompletion';
import { partialTag } from '../../core/tagging/partialTag';

/** The field completed: an element with a value (a `<vscode-textarea>` or an `<input>`). */
export interface CompletedField extends HTMLElement {
  value: string;
  /** The `<vscode-textarea>`'s read-only flag. */
  readonly readonly?: boolean;
}

export class TagAutocomplete {
  private readonly list: HTMLElement;
  private suggestions: readonly TagSuggestion[] = [];
  private selected = 0;
  private lastId = 0;
  /** The partial tag the shown suggestions are for. */
  private partial?: { start: number; end: number };

  constructor(
    private readonly caption: CompletedField,
    /** The element holding the caret (the field itself, or the textarea inside a `<vscode-textarea>`). */
    private readonly caretElement: () => HTMLInputElement | HTMLTextAreaElement | undefined,
    parent: HTMLElement,
    /** Asks the host for suggestions for `typed`; the answer comes back through `show(id, …)`. */
    private readonly request: (id: number, typed: string) => void,
    /** Called after a suggestion was written into the field (the caption editor sends the edit). */
    private readonly onAccepted: () => void,
  ) {
    this.list = document.createElement('div');
    this.list.className = 'tag-suggestions';
    this.list.id = 'tag-suggestions';
    this.list.setAttribute('role', 'listbox');
    this.list.hidden = true;
    parent.insertBefore(this.list, caption.nextSibling);
    caption.addEventListener('input', () => this.ask());
    // capture: the keys are ours before the textarea moves focus (Tab) or breaks the line (Enter)
    caption.addEventListener('keydown', (e) => this.onKey(e), true);
    caption.addEventListener('blur', () => setTimeout(() => this.close(), 150));
  }

  /** Shows the host's answer if it is for the latest request. */
  show(id: number, suggestions: readonly TagSuggestion[]): void {
    if (id !== this.lastId || !this.partial) return;
    this.suggestions = suggestions;
    this.selected = 0;
    this.render();
  }

  close(): void {
    this.suggestions = [];
    this.partial = undefined;
    this.list.hidden = true;
    this.list.replaceChildren();
  }

  private get inner(): HTMLInputElement | HTMLTextAreaElement | undefined {
    return this.caretElement();
  }

  private ask(): void {
    const inner = this.inner;
    if (!inner || this.caption.readonly || inner.readOnly || inner.selectionStart === null || inner.selectionStart !== inner.selectionEnd) return this.close();
    const caret = inner.selectionStart;
    const { start, typed } = partialTag(this.caption.value, caret);
    if (typed.trim() === '') return this.close();
    this.partial = { start, end: caret };
    this.request(++this.lastId, typed);
  }

  private onKey(e: KeyboardEvent): void {
    if (this.list.hidden || this.suggestions.length === 0) return;
    const move = (by: number): void => {
      this.selected = (this.selected + by + this.suggestions.length) % this.suggestions.length;
      this.render();
    };
    switch (e.key) {
      case 'ArrowDown':
        move(1);
        break;
      case 'ArrowUp':
        move(-1);
        break;
      case 'Tab':
      case 'Enter':
        if (e.shiftKey || e.altKey || e.ctrlKey || e.metaKey) return;
        this.accept(this.selected);
        break;
      case 'Escape':
        this.close();
        break;
      default:
        return;
    }
    e.preventDefault();
    e.stopPropagation();
  }

  /** Replaces the partial tag with suggestion `i` and a separator (unless a comma already follows). */
  private accept(i: number): void {
    const suggestion = this.suggestions[i];
    const partial = this.partial;
    if (!suggestion || !partial) return;
    const text = this.caption.value;
    const rest = text.slice(partial.end);
    const separator = /^\s*,/.test(rest) ? '' : ', ';
    const next = text.slice(0, partial.start) + suggestion.tag + separator + rest;
    const caret = partial.start + suggestion.tag.length + separator.length;
    this.close();
    this.caption.value = next;
    this.inner?.setSelectionRange(caret, caret);
    this.onAccepted();
  }

  private render(): void {
    this.list.replaceChildren();
    this.list.hidden = this.suggestions.length === 0;
    this.suggestions.forEach((s, i) => {
      const row = document.createElement('div');
      row.className = i === this.selected ? 'tag-suggestion selected' : 'tag-suggestion';
      row.setAttribute('role', 'option');
      row.setAttribute('aria-selected', String(i === this.selected));
      const name = document.createElement('span');
      name.className = 'tag-name';
      name.textContent = s.tag;
      row.appendChild(name);
      if (s.alias !== undefined) {
        const alias = document.createElement('span');
        alias.className = 'tag-alias';
        alias.textContent = ` ← ${s.alias}`;
        row.appendChild(alias);
      }
      const count = document.createElement('span');
      count.className = 'tag-count';
      count.textContent = `${s.count.toLocaleString('en-US')}${s.source === 'list' ? ' (list)' : ''}`;
      row.appendChild(count);
      // mousedown, not click: the textarea keeps focus
      row.addEventListener('mousedown', (e) => {
        e.preventDefault();
        this.accept(i);
      });
      this.list.appendChild(row);
    });
  }
}
