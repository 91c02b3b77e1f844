/** The keyword filter: the field, AND/OR or the filter language, the match count and "Select matches". */
import { button, el, select, setChoices, setEnabled, type TextField } from './elements';
import type { FilterMode } from './state';

/** What the filter bar asks of the panel. */
export interface FilterBarHandlers {
  /** The text or mode changed (after a short pause in typing). */
  changed(text: string, mode: FilterMode): void;
  selectMatches(): void;
}

const TYPING_PAUSE_MS = 150;

export class FilterBar {
  private readonly field: TextField;
  private readonly mode: ReturnType<typeof select>;
  private readonly count: HTMLElement;
  private readonly error: HTMLElement;
  private readonly selectButton: HTMLElement;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(parent: HTMLElement, text: string, mode: FilterMode, private readonly handlers: FilterBarHandlers) {
    const root = el('div', 'filter-bar', parent);
    const row = el('div', 'filter-row', root);
    this.field = document.createElement('vscode-textfield') as TextField;
    this.field.id = 'filter';
    this.field.className = 'filter-field';
    this.field.setAttribute('aria-label', 'Filter');
    this.field.value = text;
    row.appendChild(this.field);
    const foot = el('div', 'filter-foot', root);
    this.mode = select(foot, 'Match', 'filter-mode');
    setChoices(
      this.mode,
      [
        { value: 'any', label: 'Any keyword (OR)' },
        { value: 'all', label: 'All keywords (AND)' },
        { value: 'query', label: 'Filter language', title: 'The Dataset view filter: caption:dog -tag:cat words>20 (a | b)' },
      ],
      mode,
    );
    this.count = el('span', 'filter-count', foot);
    this.count.id = 'filter-count';
    this.selectButton = button(foot, 'Select matches', 'select-matches', 'pass-filled', true);
    setEnabled(this.selectButton, false);
    this.error = el('div', 'filter-error', root);
    this.error.id = 'filter-error';
    this.error.hidden = true;
    this.placeholder();
    this.field.addEventListener('input', () => {
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.handlers.changed(this.field.value, this.currentMode()), TYPING_PAUSE_MS);
    });
    this.mode.addEventListener('change', () => {
      this.placeholder();
      this.handlers.changed(this.field.value, this.currentMode());
    });
    this.selectButton.addEventListener('click', () => this.handlers.selectMatches());
  }

  /** Shows how many items match (null: no filter) or why the filter cannot be read. */
  showResult(count: number | null, total: number, error?: string): void {
    this.error.hidden = !error;
    this.error.textContent = error ?? '';
    this.field.invalid = !!error;
    this.count.textContent = error ? '' : count === null ? '' : `${count.toLocaleString()} of ${total.toLocaleString()} match`;
    setEnabled(this.selectButton, !error && !!count);
  }

  private currentMode(): FilterMode {
    const value = this.mode.value;
    return value === 'all' || value === 'query' ? value : 'any';
  }

  private placeholder(): void {
    this.field.placeholder = this.currentMode() === 'query' ? 'caption:dog -tag:cat words>20' : 'Keywords, comma-separated: red car, street';
  }
}
