/** The plot's hover card: the item's thumbnail and its caption (as text), beside the pointer. */
import { el } from './elements';

export class Tooltip {
  private readonly root: HTMLElement;
  private readonly image: HTMLImageElement;
  private readonly name: HTMLElement;
  private readonly caption: HTMLElement;

  constructor(parent: HTMLElement) {
    this.root = el('div', 'plot-tooltip', parent);
    this.root.id = 'plot-tooltip';
    this.root.hidden = true;
    this.root.setAttribute('role', 'tooltip');
    this.image = el('img', 'tooltip-thumb', this.root);
    this.image.decoding = 'async';
    this.name = el('div', 'tooltip-name', this.root);
    this.caption = el('div', 'tooltip-caption', this.root);
  }

  /** Shows an item near (clientX, clientY), kept inside the window. */
  show(src: string, name: string, caption: string, clientX: number, clientY: number): void {
    if (this.image.getAttribute('src') !== src) this.image.src = src;
    this.image.alt = name;
    this.name.textContent = name;
    this.caption.textContent = caption || '(no caption)';
    this.root.classList.toggle('empty-caption', !caption);
    this.root.hidden = false;
    const margin = 12;
    const { offsetWidth: w, offsetHeight: h } = this.root;
    const left = clientX + margin + w > window.innerWidth ? Math.max(0, clientX - margin - w) : clientX + margin;
    const top = clientY + margin + h > window.innerHeight ? Math.max(0, clientY - margin - h) : clientY + margin;
    this.root.style.transform = `translate(${left}px, ${top}px)`;
  }

  hide(): void {
    this.root.hidden = true;
  }
}
