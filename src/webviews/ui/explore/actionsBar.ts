/** Bulk actions on the gallery's group (a selection or a cluster); model actions need a trusted workspace. */
import type { ExploreAction } from '../../protocol/exploreMessages';
import { button, el, setEnabled } from './elements';

interface ActionSpec {
  readonly action: ExploreAction;
  readonly label: string;
  readonly icon: string;
  /** Sends images to a model: off in an untrusted workspace. */
  readonly model?: boolean;
}

const ACTIONS: readonly ActionSpec[] = [
  { action: 'showInDatasetView', label: 'Show in Dataset View', icon: 'filter' },
  { action: 'findReplace', label: 'Find/Replace…', icon: 'replace' },
  { action: 'prefixSuffix', label: 'Prefix/Suffix…', icon: 'text-size' },
  { action: 'editTags', label: 'Edit Tags…', icon: 'tag' },
  { action: 'caption', label: 'Caption with a Model…', icon: 'sparkle', model: true },
  { action: 'export', label: 'Export…', icon: 'export' },
  { action: 'clipScore', label: 'CLIP Score', icon: 'graph', model: true },
];

export class ActionsBar {
  private readonly buttons = new Map<ExploreAction, HTMLElement>();
  private trusted = false;
  private hasGroup = false;

  constructor(parent: HTMLElement, run: (action: ExploreAction) => void) {
    const bar = el('div', 'actions', parent);
    bar.id = 'actions';
    for (const spec of ACTIONS) {
      const b = button(bar, spec.label, `action-${spec.action}`, spec.icon, true);
      b.dataset.action = spec.action;
      b.addEventListener('click', () => {
        if (!b.hasAttribute('disabled')) run(spec.action);
      });
      this.buttons.set(spec.action, b);
    }
    this.refresh();
  }

  /** Model actions are enabled only in a trusted workspace. */
  setTrusted(trusted: boolean): void {
    this.trusted = trusted;
    this.refresh();
  }

  /** Actions need a group to act on. */
  setHasGroup(hasGroup: boolean): void {
    this.hasGroup = hasGroup;
    this.refresh();
  }

  private refresh(): void {
    for (const spec of ACTIONS) {
      const b = this.buttons.get(spec.action)!;
      const allowed = !spec.model || this.trusted;
      setEnabled(b, this.hasGroup && allowed);
      b.title = !allowed ? 'This workspace is not trusted: no image is sent to a model until you trust it.' : this.hasGroup ? '' : 'Select points or a cluster first';
    }
  }
}
