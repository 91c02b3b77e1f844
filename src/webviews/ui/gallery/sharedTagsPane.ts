/**
 * The shared-tags pane beside the grid: the tags all selected captions have (rename, remove,
 * reorder by drag or up/down), the tags some have with counts (add to all, remove from all), and an
 * input that adds tags to all at the front, the end or after a shared tag, and the tag rules the
 * selection breaks (banned tags marked in the lists; banned and missing required tags with a fix).
 * Each button asks the host for one bulk edit (previewed, one undo step). Tags are text (textContent),
 * never markup.
 */
import type { SharedTags } from '../../../core/tagging/sharedTagsModel';
import type { SelectionRuleMarks, SharedTagAction } from '../../protocol/galleryMessages';
import type { TagSuggestion } from '../../../core/tagging/tagCompletion';
import { el } from '../explore/elements';
import { TagAutocomplete } from '../tagAutocomplete';

/** Rows shown in "some have" at most (a big selection can hold thousands of rare tags). */
const SOME_LIMIT = 300;

export class SharedTagsPane {
  private readonly summary: HTMLElement;
  private readonly allList: HTMLElement;
  private readonly someList: HTMLElement;
  private readonly someTitle: HTMLElement;
  private readonly allTitle: HTMLElement;
  private readonly input: HTMLInputElement;
  private readonly where: HTMLSelectElement;
  private readonly addButton: HTMLButtonElement;
  private tags: SharedTags | undefined;
  private rules: SelectionRuleMarks = { banned: [], missing: [] };
  /** The banned tags' keys (lower case, as the host's tagKey compares them). */
  private bannedKeys = new Set<string>();
  private readonly rulesTitle: HTMLElement;
  private readonly rulesList: HTMLElement;
  private busy = false;
  private dragged = -1;
  private readonly autocomplete: TagAutocomplete;

  constructor(
    private readonly root: HTMLElement,
    private readonly act: (action: SharedTagAction) => void,
    /** Asks the host for tags completing `typed` (answered through `showSuggestions` with the same id). */
    complete: (id: number, typed: string) => void,
  ) {
    root.classList.add('shared-tags');
    this.summary = el('div', 'shared-summary', root);
    const form = el('div', 'shared-add', root);
    this.input = el('input', 'shared-add-input', form);
    this.input.id = 'shared-add-input';
    this.input.placeholder = 'Add tags to all (comma-separated)';
    this.input.setAttribute('aria-label', 'Tags to add to every selected caption');
    this.where = el('select', 'shared-add-where', form);
    this.where.id = 'shared-add-where';
    this.where.setAttribute('aria-label', 'Where the tags go');
    this.addButton = el('button', 'shared-add-button', form);
    this.addButton.id = 'shared-add-button';
    this.addButton.textContent = 'Add';
    this.addButton.addEventListener('click', () => this.add());
    // The caption editor's autocomplete: Up/Down choose, Tab/Enter accept (and keep the input's Enter from adding)
    this.autocomplete = new TagAutocomplete(this.input, () => this.input, form, complete, () => undefined);
    this.input.addEventListener('keydown', (e) => {
      e.stopPropagation(); // typing here is not the grid's keyboard
      if (e.key === 'Enter' && !e.defaultPrevented) this.add();
    });
    this.rulesTitle = el('h3', 'shared-title', root);
    this.rulesTitle.textContent = 'Tag rules';
    this.rulesList = el('ul', 'shared-rules', root);
    this.rulesList.id = 'shared-rules';
    this.allTitle = el('h3', 'shared-title', root);
    this.allList = el('ol', 'shared-all', root);
    this.allList.id = 'shared-all';
    this.someTitle = el('h3', 'shared-title', root);
    this.someList = el('ul', 'shared-some', root);
    this.someList.id = 'shared-some';
    this.render();
  }

  /** The pane of a new selection and the tag rules it breaks. */
  show(tags: SharedTags, rules: SelectionRuleMarks = { banned: [], missing: [] }): void {
    this.tags = tags;
    this.rules = rules;
    this.bannedKeys = new Set(rules.banned.map((b) => b.tag.toLowerCase()));
    this.render();
  }

  /** Suggestions for completion request `id`; an older request's answer is ignored. */
  showSuggestions(id: number, suggestions: readonly TagSuggestion[]): void {
    this.autocomplete.show(id, suggestions);
  }

  /** While the host runs an action the buttons wait (a second edit would plan on stale captions). */
  setBusy(busy: boolean): void {
    this.busy = busy;
    this.root.classList.toggle('busy', busy);
    for (const b of this.root.querySelectorAll('button')) b.disabled = busy || !this.tags?.tagCaptions || b.dataset.fixedDisabled === '1';
  }

  private add(): void {
    const tags = this.input.value.trim();
    if (!tags || this.busy) return;
    const where = this.where.value;
    const action: SharedTagAction = where === 'start' || where === 'end' ? { kind: 'add', tags, position: where } : { kind: 'add', tags, position: 'after', after: where.slice('after:'.length) };
    this.input.value = '';
    this.autocomplete.close();
    this.send(action);
  }

  private send(action: SharedTagAction): void {
    if (this.busy) return;
    this.setBusy(true);
    this.act(action);
  }

  private render(): void {
    const t = this.tags;
    const selected = t?.selected ?? 0;
    this.summary.textContent = selected === 0 ? 'Select images to see the tags they share.' : `${selected.toLocaleString('en-US')} selected${leftOut(t!)}`;
    this.allTitle.textContent = `All have (${t?.all.length ?? 0})`;
    this.allList.replaceChildren(...(t?.all ?? []).map((tag, i) => this.allRow(tag, i, t!.all)));
    const some = t?.some ?? [];
    this.someTitle.textContent = `Some have (${some.length})`;
    const rows = some.slice(0, SOME_LIMIT).map((s) => this.someRow(s.tag, s.count, t!.tagCaptions));
    if (some.length > SOME_LIMIT) {
      const more = el('li', 'shared-more');
      more.textContent = `… ${(some.length - SOME_LIMIT).toLocaleString('en-US')} more`;
      rows.push(more);
    }
    this.someList.replaceChildren(...rows);
    this.renderRules();
    const options = [option('start', 'at the front'), option('end', 'at the end'), ...(t?.all ?? []).map((tag) => option(`after:${tag}`, `after "${tag}"`))];
    const previous = this.where.value;
    this.where.replaceChildren(...options);
    this.where.value = options.some((o) => o.value === previous) ? previous : 'end';
    this.setBusy(this.busy);
  }

  /** Banned tags (remove from all) and missing required tags (add where required), each one bulk edit. */
  private renderRules(): void {
    const { banned, missing } = this.rules;
    const of = (this.tags?.tagCaptions ?? 0).toLocaleString('en-US');
    const rows = [
      ...banned.map((b) => {
        const row = this.ruleRow(b.tag, 'banned', `${b.count.toLocaleString('en-US')}/${of} have it`);
        tagButton(row, '✕', 'remove-banned', `Remove the banned tag "${b.tag}" from every selected caption`, false, () => this.send({ kind: 'ruleFix', rule: 'banned-tag', tag: b.tag }));
        return row;
      }),
      ...missing.map((m) => {
        const row = this.ruleRow(m.tag, 'missing', `${m.count.toLocaleString('en-US')}/${of} lack it`);
        tagButton(row, '+', 'add-required', `Add the required tag "${m.tag}" to every selected caption whose folder requires it`, false, () => this.send({ kind: 'ruleFix', rule: 'missing-required-tag', tag: m.tag }));
        return row;
      }),
    ];
    this.rulesList.replaceChildren(...rows);
    this.rulesTitle.hidden = this.rulesList.hidden = rows.length === 0;
  }

  private ruleRow(tag: string, rule: 'banned' | 'missing', counts: string): HTMLElement {
    const row = el('li', `shared-row rule-${rule}`);
    row.dataset.tag = tag;
    row.dataset.rule = rule;
    const label = el('span', 'shared-tag', row);
    label.textContent = tag;
    label.title = rule === 'banned' ? `"${tag}" is a banned tag (tag rules).` : `Required tag "${tag}" is missing (tag rules).`;
    const kind = el('span', 'shared-rule-kind', row);
    kind.textContent = rule === 'banned' ? 'banned' : 'missing';
    const counter = el('span', 'shared-count', row);
    counter.textContent = counts;
    return row;
  }

  /** A row's tag label, marked when the tag is banned. */
  private tagLabel(row: HTMLElement, tag: string): void {
    const label = el('span', 'shared-tag', row);
    label.textContent = tag;
    if (!this.bannedKeys.has(tag.toLowerCase())) return;
    row.classList.add('banned');
    label.title = `"${tag}" is a banned tag (tag rules).`;
  }

  private allRow(tag: string, i: number, all: readonly string[]): HTMLElement {
    const row = el('li', 'shared-row');
    row.dataset.tag = tag;
    row.draggable = true;
    this.tagLabel(row, tag);
    const move = (to: number): void => this.send({ kind: 'reorder', order: moved(all, i, to) });
    tagButton(row, '↑', 'up', `Move "${tag}" up`, i === 0, () => move(i - 1));
    tagButton(row, '↓', 'down', `Move "${tag}" down`, i === all.length - 1, () => move(i + 1));
    tagButton(row, '✎', 'rename', `Rename "${tag}" in every selected caption`, false, () => this.send({ kind: 'rename', from: tag }));
    tagButton(row, '✕', 'remove', `Remove "${tag}" from every selected caption`, false, () => this.send({ kind: 'remove', tag }));
    row.addEventListener('dragstart', (e) => {
      this.dragged = i;
      e.dataTransfer?.setData('text/plain', tag);
    });
    row.addEventListener('dragover', (e) => e.preventDefault());
    row.addEventListener('drop', (e) => {
      e.preventDefault();
      if (this.dragged >= 0 && this.dragged !== i) this.send({ kind: 'reorder', order: moved(all, this.dragged, i) });
      this.dragged = -1;
    });
    return row;
  }

  private someRow(tag: string, count: number, of: number): HTMLElement {
    const row = el('li', 'shared-row');
    row.dataset.tag = tag;
    this.tagLabel(row, tag);
    const counter = el('span', 'shared-count', row);
    counter.textContent = `${count.toLocaleString('en-US')}/${of.toLocaleString('en-US')}`;
    tagButton(row, '+', 'add-all', `Add "${tag}" to every selected caption`, false, () => this.send({ kind: 'add', tags: tag, position: 'end' }));
    tagButton(row, '✕', 'remove', `Remove "${tag}" from every selected caption`, false, () => this.send({ kind: 'remove', tag }));
    return row;
  }
}

/** What the pane leaves out of the selection, said after its count: prose captions, and files that could not be read. */
function leftOut(t: SharedTags): string {
  const parts: string[] = [];
  if (t.prose) parts.push(`${t.prose.toLocaleString('en-US')} prose caption${t.prose === 1 ? '' : 's'}`);
  if (t.unreadable) parts.push(`${t.unreadable.toLocaleString('en-US')} unreadable caption file${t.unreadable === 1 ? '' : 's'} (not UTF-8, too large or not a file)`);
  return parts.length ? ` (${parts.join(', ')} left out)` : '';
}

/** `list` with the item at `from` moved to `to`. */
function moved(list: readonly string[], from: number, to: number): string[] {
  const out = [...list];
  const [item] = out.splice(from, 1);
  out.splice(Math.max(0, Math.min(out.length, to)), 0, item);
  return out;
}

function option(value: string, text: string): HTMLOptionElement {
  const o = document.createElement('option');
  o.value = value;
  o.textContent = text;
  return o;
}

function tagButton(row: HTMLElement, glyph: string, action: string, title: string, disabled: boolean, run: () => void): void {
  const b = el('button', 'shared-button', row);
  b.textContent = glyph;
  b.title = title;
  b.setAttribute('aria-label', title);
  b.dataset.action = action;
  b.dataset.fixedDisabled = disabled ? '1' : '';
  b.disabled = disabled;
  b.addEventListener('click', run);
}
