/**
 * The gallery's grid: thumbnails with each image's caption under them, on the virtual card grid
 * Explore's gallery uses too (`../virtualCardGrid.ts`: only the rows on screen are in the DOM).
 * Captions and names are text (textContent), never markup.
 */
import { el } from '../explore/elements';
import { imageSrc } from '../explore/imageSrc';
import { scrollTopFor } from '../explore/virtualGrid';
import { VirtualCardGrid, type GridCard } from '../virtualCardGrid';
import { starsText } from '../starsText';
import type { SelectionModel } from './selectionModel';

/** What the grid asks of the page. */
export interface GridHandlers {
  click(position: number, event: MouseEvent): void;
  open(position: number): void;
  /** The item's image needs a preview the host makes (TIFF). */
  needPreview(position: number): void;
  /** The card's rule badge was clicked: offer the fixes of its caption. */
  fixRules(position: number): void;
}

/** The images the grid shows. */
export interface GridItems {
  readonly relPaths: readonly string[];
  readonly captions: string[];
  /** Each caption's broken tag rules, one line each ('' none): a badge on the card. */
  readonly ruleNotes: string[];
  /** Each image's stars (0 unrated), shown on the thumbnail. */
  readonly ratings: Uint8Array;
  readonly needsPreview: Uint8Array;
  readonly imageBase: string;
}

const GAP = 8;
/** Two lines of caption under the thumbnail (.gallery-label in media/gallery.css: keep in step). */
const LABEL_HEIGHT = 36;
export const MIN_THUMB = 64;
/** How long a fling must have stopped before its cards load their images. */
const SETTLE_MS = 120;
export const MAX_THUMB = 384;

interface Card extends GridCard {
  readonly image: HTMLImageElement;
  readonly label: HTMLElement;
  readonly badge: HTMLElement;
  readonly stars: HTMLElement;
}

export class Grid {
  private items: GridItems = { relPaths: [], captions: [], ruleNotes: [], ratings: new Uint8Array(0), needsPreview: new Uint8Array(0), imageBase: '' };
  private readonly previews = new Map<number, string>();
  private readonly asked = new Set<number>();
  private thumb = 160;
  private readonly grid: VirtualCardGrid<Card>;
  /** First row rendered last: a jump of more than a screen is a fling, whose cards get their images once it settles. */
  private lastFirstRow = 0;
  private deferImages = false;
  private settleTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly container: HTMLElement, private readonly selection: SelectionModel, private readonly handlers: GridHandlers) {
    container.classList.add('grid');
    container.tabIndex = 0;
    container.setAttribute('role', 'listbox');
    container.setAttribute('aria-multiselectable', 'true');
    this.grid = new VirtualCardGrid<Card>(container, {
      spacerClass: 'grid-spacer',
      layerClass: 'grid-rows',
      gap: GAP,
      cardSize: () => ({ minWidth: this.thumb, rowHeight: this.thumb + LABEL_HEIGHT + GAP }),
      keyAt: (position) => position,
      create: (layer) => this.create(layer),
      fill: (card) => this.fill(card),
      rendered: (win, screenRows) => {
        if (Math.abs(win.firstRow - this.lastFirstRow) > screenRows) this.deferImagesUntilSettled();
        this.lastFirstRow = win.firstRow;
      },
    });
  }

  /** New items: the grid scrolls to the top. */
  setItems(items: GridItems): void {
    this.items = items;
    this.previews.clear();
    this.asked.clear();
    this.grid.reset(items.relPaths.length);
    this.container.scrollTop = 0;
    this.grid.render();
  }

  /** Thumbnail size in px (the slider); the item at the top stays in view. */
  setThumbSize(px: number): void {
    const top = this.grid.visibleWindow().start;
    this.thumb = Math.min(MAX_THUMB, Math.max(MIN_THUMB, Math.round(px)));
    this.container.style.setProperty('--thumb', `${this.thumb}px`);
    this.grid.render();
    this.container.scrollTop = scrollTopFor(this.grid.shape, top, this.container.clientHeight);
    this.grid.render();
  }

  /** Columns in the current layout (Up/Down move by this many). */
  get columns(): number {
    return this.grid.shape.columns;
  }

  /** Cards in the DOM showing an item. */
  get renderedCount(): number {
    return this.grid.cards.size;
  }

  /** A caption changed (and with it, perhaps, the tag rules it breaks). */
  captionChanged(position: number, text: string, ruleNote: string): void {
    this.items.captions[position] = text;
    this.items.ruleNotes[position] = ruleNote;
    const card = this.grid.cards.get(position);
    if (card) this.fill(card);
  }

  /** New stars: `stars[n]` is item `indices[n]`'s. */
  ratingsChanged(indices: readonly number[], stars: readonly number[]): void {
    const ratings = this.items.ratings;
    indices.forEach((position, n) => {
      if (position < 0 || position >= ratings.length) return;
      ratings[position] = stars[n];
      const card = this.grid.cards.get(position);
      if (card) this.fill(card);
    });
  }

  previewReady(position: number, src: string): void {
    this.previews.set(position, src);
    const card = this.grid.cards.get(position);
    if (card) this.fill(card);
  }

  /** Repaints the selection and focus of the cards on screen. */
  paintSelection(): void {
    for (const card of this.grid.cards.values()) this.paint(card);
  }

  /** Scrolls just enough for `position` to be fully visible. */
  reveal(position: number): void {
    const shape = this.grid.shape;
    const rowTop = scrollTopFor(shape, position, this.container.clientHeight);
    const viewport = this.container.clientHeight;
    if (rowTop < this.container.scrollTop) this.container.scrollTop = rowTop;
    else if (rowTop + shape.rowHeight > this.container.scrollTop + viewport) this.container.scrollTop = rowTop + shape.rowHeight - viewport + GAP;
    this.grid.render();
  }

  private fill(card: Card): void {
    const p = card.key;
    const relPath = this.items.relPaths[p] ?? '';
    card.root.dataset.index = String(p);
    let src = imageSrc(this.items.imageBase, relPath);
    if (this.items.needsPreview[p] === 1) {
      src = this.previews.get(p) ?? '';
      if (!src && !this.asked.has(p)) {
        this.asked.add(p);
        this.handlers.needPreview(p);
      }
    }
    // Mid-fling, a card shows its caption and no image: loading 60 images a frame for cards gone the next frame costs frames.
    if (this.deferImages) src = '';
    if (card.image.getAttribute('src') !== src) {
      if (src) card.image.src = src;
      else card.image.removeAttribute('src');
    }
    card.image.alt = relPath;
    const caption = this.items.captions[p] ?? '';
    card.label.textContent = caption.trim() || relPath;
    card.label.classList.toggle('no-caption', !caption.trim());
    card.root.title = caption.trim() ? `${relPath}\n${caption}` : `${relPath} (no caption)`;
    const note = this.items.ruleNotes[p] ?? '';
    if (card.badge.hidden !== !note) card.badge.hidden = !note;
    if (card.badge.title !== note) card.badge.title = note;
    const rating = this.items.ratings[p] ?? 0;
    const stars = starsText(rating);
    if (card.stars.textContent !== stars) card.stars.textContent = stars;
    card.stars.hidden = !stars;
    card.stars.title = stars ? `Rated ${rating} of 5` : '';
    this.paint(card);
  }

  /** Holds new images back until the scroll stays within a screen per frame for a moment, then fills the cards on screen. */
  private deferImagesUntilSettled(): void {
    this.deferImages = true;
    clearTimeout(this.settleTimer);
    this.settleTimer = setTimeout(() => {
      this.deferImages = false;
      for (const card of this.grid.cards.values()) this.fill(card);
    }, SETTLE_MS);
  }

  private paint(card: Card): void {
    const selected = this.selection.isSelected(card.key);
    card.root.classList.toggle('selected', selected);
    card.root.classList.toggle('focused', this.selection.focus === card.key);
    card.root.setAttribute('aria-selected', String(selected));
  }

  private create(layer: HTMLElement): Card {
    const root = el('div', 'grid-card', layer);
    root.setAttribute('role', 'option');
    const frame = el('div', 'grid-thumb', root);
    const image = el('img', '', frame);
    image.loading = 'lazy';
    image.decoding = 'async';
    image.draggable = false;
    const label = el('div', 'grid-label', root);
    // the tag rules this caption breaks: the title lists them (text, never markup)
    const badge = el('span', 'grid-rule-badge', frame);
    badge.textContent = '!';
    badge.hidden = true;
    badge.setAttribute('role', 'button');
    badge.setAttribute('aria-label', 'Breaks tag rules: click to fix');
    const stars = el('span', 'grid-stars', frame);
    stars.hidden = true;
    const card: Card = { key: -1, root, image, label, badge, stars };
    badge.addEventListener('click', (e) => {
      // the fix is for this card's caption, whatever is selected: the click does not select
      e.stopPropagation();
      this.handlers.fixRules(card.key);
    });
    root.addEventListener('mousedown', (e) => {
      // Shift+click would otherwise select the page's text.
      if (e.shiftKey) e.preventDefault();
    });
    root.addEventListener('click', (e) => this.handlers.click(card.key, e));
    root.addEventListener('dblclick', () => this.handlers.open(card.key));
    return card;
  }
}
