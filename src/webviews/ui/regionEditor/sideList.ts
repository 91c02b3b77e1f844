/** The list beside the image: one row per region, numbered and coloured as on the overlay. Text goes in with textContent/value only. */
import type { Region } from '../../protocol/regionEditorMessages';
import { regionColor } from './overlay';

/** What a row shows about a describe request of its region. */
export interface RegionStatus {
  readonly state: 'streaming' | 'error';
  readonly text: string;
}

export interface SideListActions {
  select(id: string): void;
  edit(id: string, patch: { label?: string; description?: string }): void;
  describe(id: string): void;
  cancelDescribe(id: string): void;
  remove(id: string): void;
}

interface Row {
  readonly item: HTMLLIElement;
  readonly number: HTMLElement;
  readonly label: HTMLInputElement;
  readonly meta: HTMLElement;
  readonly description: HTMLTextAreaElement;
  readonly status: HTMLElement;
  readonly describe: HTMLButtonElement;
  readonly remove: HTMLButtonElement;
}

export class SideList {
  private readonly rows = new Map<string, Row>();

  constructor(private readonly list: HTMLElement, private readonly actions: SideListActions) {}

  render(regions: readonly Region[], selected: string | undefined, statuses: ReadonlyMap<string, RegionStatus>, editable: boolean, canDescribe: boolean): void {
    const seen = new Set<string>();
    regions.forEach((region, index) => {
      seen.add(region.id);
      const row = this.rows.get(region.id) ?? this.makeRow(region.id);
      if (this.list.children[index] !== row.item) this.list.insertBefore(row.item, this.list.children[index] ?? null);
      row.item.classList.toggle('selected', region.id === selected);
      row.number.textContent = String(index + 1);
      row.number.style.background = regionColor(index);
      setValue(row.label, region.label ?? '');
      setValue(row.description, region.description);
      row.label.readOnly = !editable;
      row.description.readOnly = !editable;
      row.meta.textContent = [region.kind, region.source === 'segment' ? 'segmented' : region.source === 'grounding' ? 'grounded' : '', region.model ? `by ${region.model}` : ''].filter(Boolean).join(' · ');
      const status = statuses.get(region.id);
      row.status.hidden = !status;
      row.status.textContent = status?.text ?? '';
      row.status.className = `region-status ${status?.state ?? ''}`;
      const streaming = status?.state === 'streaming';
      row.describe.textContent = streaming ? 'Cancel' : 'Describe';
      row.describe.disabled = !streaming && (!canDescribe || !editable);
      row.remove.disabled = !editable;
    });
    for (const [id, row] of this.rows) {
      if (!seen.has(id)) {
        row.item.remove();
        this.rows.delete(id);
      }
    }
  }

  private makeRow(id: string): Row {
    const item = document.createElement('li');
    item.className = 'region-row';
    item.dataset.regionId = id;
    const head = append(item, 'div', 'region-head');
    const number = append(head, 'span', 'region-number');
    const label = append(head, 'input', 'region-label') as HTMLInputElement;
    label.placeholder = 'Label';
    label.setAttribute('aria-label', 'Label');
    const describe = append(head, 'button', 'region-describe') as HTMLButtonElement;
    const remove = append(head, 'button', 'region-delete') as HTMLButtonElement;
    remove.textContent = 'Delete';
    const meta = append(item, 'div', 'region-meta');
    const description = append(item, 'textarea', 'region-description') as HTMLTextAreaElement;
    description.rows = 3;
    description.placeholder = 'Description';
    description.setAttribute('aria-label', 'Description');
    const status = append(item, 'div', 'region-status');
    item.addEventListener('pointerdown', () => this.actions.select(id));
    label.addEventListener('input', () => this.actions.edit(id, { label: label.value }));
    description.addEventListener('input', () => this.actions.edit(id, { description: description.value }));
    describe.addEventListener('click', () => (describe.textContent === 'Cancel' ? this.actions.cancelDescribe(id) : this.actions.describe(id)));
    remove.addEventListener('click', () => this.actions.remove(id));
    const row = { item, number, label, meta, description, status, describe, remove };
    this.rows.set(id, row);
    return row;
  }
}

function append(parent: HTMLElement, tag: string, className: string): HTMLElement {
  const node = document.createElement(tag);
  node.className = className;
  parent.appendChild(node);
  return node;
}

/** Sets a field's text unless the user is typing in it (their text is newer than the echo). */
function setValue(field: HTMLInputElement | HTMLTextAreaElement, value: string): void {
  if (document.activeElement === field || field.value === value) return;
  field.value = value;
}
