/** The image's star rating in the caption editor's toolbar, and the curation keys (0-5, Delete) outside the caption. */
import type { FromWebviewMessage } from '../../protocol/captionEditorMessages';

const MAX_STARS = 5;

/** Five star buttons: a click rates, a click on the current rating clears it. */
export class RatingStars {
  private readonly buttons: HTMLButtonElement[] = [];
  private stars = 0;

  constructor(parent: HTMLElement, private readonly send: (message: FromWebviewMessage) => void) {
    const group = document.createElement('span');
    group.className = 'rating-stars';
    group.setAttribute('role', 'group');
    group.setAttribute('aria-label', 'Rating');
    for (let n = 1; n <= MAX_STARS; n++) {
      const button = document.createElement('button');
      button.className = 'rating-star';
      button.dataset.stars = String(n);
      button.title = `Rate ${n} star${n === 1 ? '' : 's'} (key ${n}; 0 clears)`;
      button.addEventListener('click', () => this.send({ type: 'rate', stars: this.stars === n ? 0 : n }));
      group.appendChild(button);
      this.buttons.push(button);
    }
    parent.appendChild(group);
    this.show(0);
  }

  /** Shows `stars` filled stars (0: unrated). */
  show(stars: number): void {
    this.stars = stars;
    this.buttons.forEach((button, i) => {
      button.textContent = i < stars ? '★' : '☆';
      button.setAttribute('aria-pressed', String(i < stars));
    });
    this.buttons[0]?.parentElement?.setAttribute('data-rating', String(stars));
  }
}

/** Keys 0-5 rate the image and Delete moves it to the trash, unless focus is in a text field (typing a caption). */
export function installCurationKeys(send: (message: FromWebviewMessage) => void): void {
  document.addEventListener('keydown', (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented || isTyping(event)) return;
    if (event.key === 'Delete') {
      event.preventDefault();
      send({ type: 'trash' });
    } else if (/^[0-5]$/.test(event.key)) {
      event.preventDefault();
      send({ type: 'rate', stars: Number(event.key) });
    }
  });
}

/** Whether the key goes to something that takes text (the caption's textarea sits in a shadow root). */
function isTyping(event: KeyboardEvent): boolean {
  return event.composedPath().some((node) => {
    if (!(node instanceof HTMLElement)) return false;
    const tag = node.tagName.toLowerCase();
    return tag === 'textarea' || tag === 'input' || tag === 'select' || tag === 'vscode-textarea' || tag === 'vscode-textfield' || node.isContentEditable;
  });
}
