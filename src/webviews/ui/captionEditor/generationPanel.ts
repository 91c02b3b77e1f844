import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import type { CandidateUpdate, FromWebviewMessage, ModelChoice } from '../../protocol/captionEditorMessages';
import { renderTagChips } from './tagChips';

interface SingleSelect extends HTMLElement {
  value: string;
  disabled: boolean;
}

/** The model picker, Generate / Compare / Cancel, and the candidate answers with Replace / Append / Discard. */
export class GenerationPanel {
  private readonly select: SingleSelect;
  private readonly generateButton: HTMLElement;
  private readonly compareButton: HTMLElement;
  private readonly cancelButton: HTMLElement;
  private readonly list: HTMLElement;
  private readonly notice: HTMLElement;
  private readonly noticeText: HTMLElement;
  private readonly cards = new Map<string, HTMLElement>();

  constructor(parent: HTMLElement, private readonly send: (message: FromWebviewMessage) => void) {
    const root = append(parent, 'div', 'generation');
    const row = append(root, 'div', 'generation-row');
    this.select = document.createElement('vscode-single-select') as SingleSelect;
    this.select.id = 'model';
    this.select.setAttribute('aria-label', 'Model');
    row.appendChild(this.select);
    this.generateButton = button(row, 'Generate', 'generate', 'sparkle');
    this.compareButton = button(row, 'Compare…', 'compare', 'split-horizontal', true);
    this.cancelButton = button(row, 'Cancel', 'cancel', 'debug-stop', true);
    this.cancelButton.hidden = true;
    this.notice = append(root, 'div', 'generation-notice');
    this.notice.hidden = true;
    this.noticeText = append(this.notice, 'span', 'generation-notice-text');
    const trust = button(this.notice, 'Trust This Folder…', 'manage-trust', 'shield', true);
    trust.addEventListener('click', () => this.send({ type: 'manageTrust' }));
    this.list = append(root, 'div', 'candidates');
    this.select.addEventListener('change', () => this.send({ type: 'selectModel', modelId: this.select.value }));
    this.generateButton.addEventListener('click', () => this.send({ type: 'generate', modelIds: this.select.value ? [this.select.value] : undefined }));
    this.compareButton.addEventListener('click', () => this.send({ type: 'compare' }));
    this.cancelButton.addEventListener('click', () => this.send({ type: 'cancelGeneration' }));
  }

  showModels(models: readonly ModelChoice[], selected: string | undefined, canSend: boolean): void {
    this.select.replaceChildren(
      ...models.map((m) => {
        const option = document.createElement('vscode-option');
        option.setAttribute('value', m.id);
        option.setAttribute('description', m.service);
        option.textContent = `${m.label} · ${m.service}`;
        if (m.id === selected) option.setAttribute('selected', '');
        return option;
      }),
    );
    if (selected) this.select.value = selected;
    for (const el of [this.generateButton, this.compareButton]) el.toggleAttribute('disabled', !canSend);
    this.notice.hidden = canSend;
    this.noticeText.textContent = canSend ? '' : 'This workspace is not trusted: no request is sent to a model until you trust it. ';
  }

  showCandidate(candidate: CandidateUpdate): void {
    let card = this.cards.get(candidate.id);
    if (!card) {
      card = this.createCard(candidate.id);
      this.cards.set(candidate.id, card);
      this.list.appendChild(card);
    }
    const seconds = candidate.elapsedMs !== undefined ? ` · ${(candidate.elapsedMs / 1000).toFixed(1)} s` : '';
    const grounded = candidate.groundedPhrases ? ` · ${candidate.groundedPhrases} grounded phrases` : '';
    card.dataset.state = candidate.state;
    card.dataset.model = candidate.modelId;
    card.querySelector('.candidate-title')!.textContent = `${candidate.modelLabel}${seconds}${grounded}`;
    const body = card.querySelector<HTMLElement>('.candidate-text')!;
    body.classList.remove('tag-chips');
    body.textContent = candidate.state === 'error' ? (candidate.error ?? 'Failed') : candidate.text || (candidate.state === 'running' ? '…' : '');
    if (candidate.state === 'done' && candidate.tags) renderTagChips(body, candidate.tags, (tag) => this.send({ type: 'dropCandidateTag', id: candidate.id, tag }));
    body.classList.toggle('error', candidate.state === 'error');
    for (const action of card.querySelectorAll<HTMLElement>('.keep')) action.hidden = candidate.state !== 'done';
    this.cancelButton.hidden = ![...this.cards.values()].some((c) => c.dataset.state === 'running');
  }

  removeCandidate(id: string): void {
    this.cards.get(id)?.remove();
    this.cards.delete(id);
    this.cancelButton.hidden = ![...this.cards.values()].some((c) => c.dataset.state === 'running');
  }

  private createCard(id: string): HTMLElement {
    const card = document.createElement('div');
    card.className = 'candidate';
    card.id = `candidate-${id}`;
    const header = append(card, 'div', 'candidate-header');
    append(header, 'span', 'candidate-title');
    const actions = append(header, 'span', 'candidate-actions');
    const replace = button(actions, 'Replace', 'replace', 'check', true);
    const appendButton = button(actions, 'Append', 'append', 'add', true);
    const discard = button(actions, 'Discard', 'discard', 'close', true);
    replace.classList.add('keep');
    appendButton.classList.add('keep');
    append(card, 'div', 'candidate-text');
    replace.addEventListener('click', () => this.send({ type: 'keepCandidate', id, how: 'replace' }));
    appendButton.addEventListener('click', () => this.send({ type: 'keepCandidate', id, how: 'append' }));
    discard.addEventListener('click', () => {
      this.send({ type: 'discardCandidate', id });
      this.removeCandidate(id);
    });
    return card;
  }
}

function append<K extends keyof HTMLElementTagNameMap>(parent: HTMLElement, tag: K, className: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  node.className = className;
  parent.appendChild(node);
  return node;
}

function button(parent: HTMLElement, label: string, name: string, icon: string, secondary = false): HTMLElement {
  const b = document.createElement('vscode-button');
  b.textContent = label;
  b.setAttribute('icon', icon);
  b.dataset.action = name;
  b.className = `action-${name}`;
  if (secondary) b.setAttribute('secondary', '');
  parent.appendChild(b);
  return b;
}
