/** Building the panel's DOM: plain elements and @vscode-elements controls. Text goes in with textContent only. */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';

/** The properties the panel uses of a vscode-single-select. */
export interface SingleSelect extends HTMLElement {
  value: string;
  disabled: boolean;
}

/** The properties the panel uses of a vscode-textfield. */
export interface TextField extends HTMLElement {
  value: string;
  disabled: boolean;
  invalid: boolean;
  placeholder: string | undefined;
}

/** A new element with a class, appended to `parent` when given. */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, parent?: HTMLElement): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  parent?.appendChild(node);
  return node;
}

/** A vscode-button with a codicon; `id` is its stable id for tests. */
export function button(parent: HTMLElement, label: string, id: string, icon: string, secondary = false): HTMLElement {
  const b = document.createElement('vscode-button');
  b.textContent = label;
  b.id = id;
  b.setAttribute('icon', icon);
  if (secondary) b.setAttribute('secondary', '');
  parent.appendChild(b);
  return b;
}

/** A labelled vscode-single-select. */
export function select(parent: HTMLElement, label: string, id: string): SingleSelect {
  const wrap = el('label', 'control', parent);
  el('span', 'control-label', wrap).textContent = label;
  const s = document.createElement('vscode-single-select') as SingleSelect;
  s.id = id;
  s.setAttribute('aria-label', label);
  wrap.appendChild(s);
  return s;
}

/** One choice of a select. */
export interface Choice {
  readonly value: string;
  readonly label: string;
  readonly disabled?: boolean;
  /** Shown as the option's tooltip (why a choice is disabled). */
  readonly title?: string;
}

/** Replaces a select's options, keeping `value` selected when it is among them (else the first enabled one). */
export function setChoices(s: SingleSelect, choices: readonly Choice[], value: string): string {
  const enabled = choices.filter((c) => !c.disabled);
  const chosen = enabled.some((c) => c.value === value) ? value : (enabled[0]?.value ?? '');
  s.replaceChildren(
    ...choices.map((c) => {
      const option = document.createElement('vscode-option');
      option.setAttribute('value', c.value);
      option.textContent = c.label;
      if (c.disabled) option.setAttribute('disabled', '');
      if (c.title) {
        option.title = c.title;
        option.setAttribute('description', c.title);
      }
      if (c.value === chosen) option.setAttribute('selected', '');
      return option;
    }),
  );
  s.value = chosen;
  return chosen;
}

/** Enables or disables a vscode-button (or any element with a `disabled` attribute). */
export function setEnabled(element: HTMLElement, enabled: boolean): void {
  element.toggleAttribute('disabled', !enabled);
}
