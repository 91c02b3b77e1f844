/**
 * A virtualized grid of cards, shared by Explore's gallery and the Gallery panel: only the rows on
 * screen (± 2) are in the DOM, cards are reused as they scroll (spare ones stay hidden in the DOM),
 * so 100,000 items scroll like 100. Rows are filled in the `scroll` event (Chromium fires it once per
 * frame, before rAF: no blank frame). The layout maths is `explore/virtualGrid.ts`; what a card holds
 * is the owner's (`create`, `fill`).
 */
import { el } from './explore/elements';
import { gridShape, gridWindow, type GridShape, type GridWindow } from './explore/virtualGrid';

/** A card: `key` names the item it shows (-1 while spare). */
export interface GridCard {
  key: number;
  readonly root: HTMLElement;
}

/** What the owner of a grid supplies. */
export interface CardGridOptions<C extends GridCard> {
  /** Class names of the scrolling spacer and of the layer holding the cards (the owner's CSS). */
  readonly spacerClass: string;
  readonly layerClass: string;
  readonly gap: number;
  /** The narrowest a card may be, and a row's height (card plus gap), for the current settings. */
  cardSize(): { readonly minWidth: number; readonly rowHeight: number };
  /** The item shown at grid position `position` (its key). */
  keyAt(position: number): number;
  /** A new card's DOM, appended to `layer` (only when no spare card is left). */
  create(layer: HTMLElement): C;
  /** Puts the content of item `card.key` into the card. */
  fill(card: C): void;
  /** A card is about to show another item or none (Explore saves a caption edited in it). */
  leaving?(card: C): void;
  /** Each render's window, before cards are filled (the Gallery's fling rule). */
  rendered?(win: GridWindow, screenRows: number): void;
}

export class VirtualCardGrid<C extends GridCard> {
  private readonly layer: HTMLElement;
  private readonly spacer: HTMLElement;
  private count = 0;
  private currentShape: GridShape;
  /** Cards showing an item, by key. */
  readonly cards = new Map<number, C>();
  private readonly spare: C[] = [];
  private frame = 0;

  constructor(private readonly container: HTMLElement, private readonly options: CardGridOptions<C>) {
    this.spacer = el('div', options.spacerClass, container);
    this.layer = el('div', options.layerClass, container);
    this.currentShape = gridShape(0, 0, options.cardSize().minWidth, options.gap, options.cardSize().rowHeight);
    container.addEventListener('scroll', () => this.render(), { passive: true });
    new ResizeObserver(() => this.schedule()).observe(container);
  }

  /** The layout last rendered. */
  get shape(): GridShape {
    return this.currentShape;
  }

  /** A new list of `count` items: every card goes back to the spares (without `leaving`). */
  reset(count: number): void {
    this.count = count;
    for (const card of this.cards.values()) this.release(card);
    this.cards.clear();
  }

  /** Another `count` of items, the cards kept: the next render releases those whose item is gone (with `leaving`). */
  setCount(count: number): void {
    this.count = count;
  }

  /** The window of items for the current scroll position (no overscan: what is on screen). */
  visibleWindow(): GridWindow {
    return gridWindow(this.currentShape, this.count, this.container.scrollTop, this.container.clientHeight, 0);
  }

  /** Renders on the next frame (a resize). */
  schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
    });
  }

  /** Lays out the rows on screen: cards leaving the window are released, new items get a card. */
  render(): void {
    const { gap } = this.options;
    const size = this.options.cardSize();
    const shape = (this.currentShape = gridShape(this.count, this.container.clientWidth - 2 * gap, size.minWidth, gap, size.rowHeight));
    this.spacer.style.height = `${shape.scrollHeight + gap}px`;
    const win = gridWindow(shape, this.count, this.container.scrollTop, this.container.clientHeight);
    this.options.rendered?.(win, Math.ceil(this.container.clientHeight / shape.rowHeight));
    const wanted = new Set<number>();
    for (let p = win.start; p < win.end; p++) wanted.add(this.options.keyAt(p));
    for (const [key, card] of this.cards) {
      if (wanted.has(key)) continue;
      this.options.leaving?.(card);
      this.cards.delete(key);
      this.release(card);
    }
    this.layer.style.transform = `translateY(${win.top + gap}px)`;
    for (let p = win.start; p < win.end; p++) {
      const key = this.options.keyAt(p);
      let card = this.cards.get(key);
      if (!card) {
        card = this.acquire();
        card.key = key;
        this.cards.set(key, card);
        this.options.fill(card);
      }
      const column = (p - win.start) % shape.columns;
      const row = Math.floor((p - win.start) / shape.columns);
      card.root.style.transform = `translate(${gap + column * (shape.cardWidth + gap)}px, ${row * shape.rowHeight}px)`;
      card.root.style.width = `${shape.cardWidth}px`;
    }
  }

  private acquire(): C {
    const spare = this.spare.pop();
    if (spare) {
      spare.root.hidden = false;
      return spare;
    }
    return this.options.create(this.layer);
  }

  /** Spare cards stay in the DOM, hidden: taking them out and back costs more than the style change. */
  private release(card: C): void {
    card.root.hidden = true;
    delete card.root.dataset.index;
    card.key = -1;
    this.spare.push(card);
  }
}
