/**
 * The gallery: the items of a selection or a cluster as a virtualized grid of thumbnails with
 * their captions, editable in place, on the virtual card grid the Gallery panel uses too
 * (`../virtualCardGrid.ts`: only the rows on screen are in the DOM, so 100,000 items scroll like
 * 100). Captions are text (textarea values), never markup.
 */
import type { ExploreItems } from '../../protocol/exploreMessages';
import { starsText } from '../starsText';
import { VirtualCardGrid, type GridCard } from '../virtualCardGrid';
import { el } from './elements';
import { imageSrc } from './imageSrc';
import { scrollTopFor } from './virtualGrid';

/** What the gallery asks of the panel. */
export interface GalleryHandlers {
  /** Save an edited caption (the host answers with `captionChanged` or `captionSaveFailed`). */
  commit(index: number, text: string): void;
  /** Open the item in the caption editor. */
  open(index: number): void;
}

const MIN_CARD_WIDTH = 180;
const GAP = 8;
/** A card is 228 px high (.gallery-card in media/explore.css) plus the gap. */
const ROW_HEIGHT = 236;

/** A card; `key` is the item index it shows. */
interface Card extends GridCard {
  readonly image: HTMLImageElement;
  readonly name: HTMLElement;
  readonly stars: HTMLElement;
  readonly caption: HTMLTextAreaElement;
  /** The second caption, read-only (shown while the second caption setting is on). */
  readonly second: HTMLElement;
  readonly error: HTMLElement;
}

export class Gallery {
  private readonly grid: VirtualCardGrid<Card>;
  private readonly empty: HTMLElement;
  private items: ExploreItems | undefined;
  /** The captions as saved (shared with the panel; updated by `captionChanged`). */
  private captions: string[] = [];
  private shown: Int32Array = new Int32Array(0);
  private matches: Uint8Array | null = null;
  /** Text typed and not saved yet (or refused by the host), by item index: it survives scrolling away. */
  private readonly drafts = new Map<number, string>();
  private readonly errors = new Map<number, string>();
  /** Text posted for saving and not answered yet, by item index. */
  private readonly pending = new Map<number, string>();

  constructor(private readonly container: HTMLElement, private readonly handlers: GalleryHandlers) {
    container.classList.add('gallery');
    container.tabIndex = -1;
    this.grid = new VirtualCardGrid<Card>(container, {
      spacerClass: 'gallery-spacer',
      layerClass: 'gallery-rows',
      gap: GAP,
      cardSize: () => ({ minWidth: MIN_CARD_WIDTH, rowHeight: ROW_HEIGHT }),
      keyAt: (position) => this.shown[position],
      create: (layer) => this.create(layer),
      fill: (card) => this.fill(card),
      leaving: (card) => this.commitIfEdited(card),
    });
    this.empty = el('div', 'gallery-empty', container);
    this.empty.textContent = 'Select points in the plot (box or lasso), click a cluster, or type its number.';
  }

  /** A new layout: its items and the captions array the panel keeps up to date. Drafts of the old layout are dropped. */
  setItems(items: ExploreItems, captions: string[]): void {
    this.items = items;
    this.captions = captions;
    this.drafts.clear();
    this.errors.clear();
    this.pending.clear();
    this.grid.reset(0);
    this.show(null);
  }

  /** Shows these item indices (a selection or a cluster), scrolled to the top; null empties the gallery. */
  show(indices: ArrayLike<number> | null): void {
    this.shown = indices ? Int32Array.from(indices as ArrayLike<number>) : new Int32Array(0);
    this.empty.hidden = this.shown.length > 0;
    // the cards keep their items (an edited caption still saves when its card leaves)
    this.grid.setCount(this.shown.length);
    this.container.scrollTop = 0;
    this.grid.render();
  }

  /** How many items the gallery shows. */
  get size(): number {
    return this.shown.length;
  }

  /** Keyword matches: matching cards stand out, the others are dimmed; null clears. */
  setMatches(matches: Uint8Array | null): void {
    this.matches = matches;
    for (const card of this.grid.cards.values()) this.paintMatch(card);
  }

  /** A caption changed on disk or was saved: a card shows it unless the user has newer text in it. */
  captionChanged(index: number, text: string): void {
    const sent = this.pending.get(index);
    this.pending.delete(index);
    const draft = this.drafts.get(index);
    // The save was answered (the host may have normalised the text) unless the user typed on since.
    if (draft === text || (sent !== undefined && draft === sent)) this.drafts.delete(index);
    if (!this.drafts.has(index)) this.errors.delete(index);
    const card = this.grid.cards.get(index);
    if (card) this.fill(card);
  }

  /** Items whose stars (or other shown state) changed: their cards on screen are filled again. */
  refresh(indices: readonly number[]): void {
    for (const i of indices) {
      const card = this.grid.cards.get(i);
      if (card) this.fill(card);
    }
  }

  /** The host could not save: the card says why and keeps the user's text. */
  saveFailed(index: number, error: string): void {
    this.pending.delete(index);
    this.errors.set(index, error);
    const card = this.grid.cards.get(index);
    if (card) this.fill(card);
  }

  /** Scrolls so that the gallery's `position`-th item is in view. */
  scrollToPosition(position: number): void {
    this.container.scrollTop = scrollTopFor(this.grid.shape, position, this.container.clientHeight);
    this.grid.render();
  }

  /** Puts an item's image, name, caption (or the user's draft), editability and error into a card. */
  private fill(card: Card): void {
    const items = this.items;
    if (!items) return;
    const i = card.key;
    const relPath = items.relPaths[i] ?? '';
    card.root.dataset.index = String(i);
    const src = imageSrc(items.imageBase, relPath);
    if (card.image.getAttribute('src') !== src) card.image.src = src;
    card.image.alt = relPath;
    card.name.textContent = relPath;
    card.name.title = relPath;
    const stars = items.ratings?.[i] ?? 0;
    card.stars.textContent = starsText(stars);
    card.stars.title = stars > 0 ? `Rated ${stars} of 5` : '';
    const second = items.secondCaptions?.[i];
    card.second.hidden = second === undefined;
    card.second.textContent = second?.trim() ?? '';
    card.second.title = card.second.textContent;
    const editable = items.editable[i] === 1;
    card.caption.readOnly = !editable;
    card.caption.title = editable ? 'Ctrl+Enter or leaving the field saves; Escape restores the saved caption' : 'This caption cannot be edited here (not UTF-8, or its caption file is shared by two images)';
    card.root.classList.toggle('readonly', !editable);
    const text = this.drafts.get(i) ?? this.captions[i] ?? '';
    if (card.caption.value !== text && (document.activeElement !== card.caption || !this.drafts.has(i))) card.caption.value = text;
    const error = this.errors.get(i);
    card.error.hidden = !error;
    card.error.textContent = error ? `Not saved: ${error}` : '';
    card.root.classList.toggle('unsaved', this.drafts.has(i));
    this.paintMatch(card);
  }

  private paintMatch(card: Card): void {
    const m = this.matches;
    card.root.classList.toggle('match', !!m && m[card.key] === 1);
    card.root.classList.toggle('no-match', !!m && m[card.key] !== 1);
  }

  private commitIfEdited(card: Card): void {
    const i = card.key;
    const text = card.caption.value;
    if (this.items?.editable[i] !== 1 || text === (this.captions[i] ?? '')) {
      if (text === (this.captions[i] ?? '')) this.drafts.delete(i);
      return;
    }
    this.drafts.set(i, text);
    this.errors.delete(i);
    if (this.pending.get(i) === text) return;
    this.pending.set(i, text);
    this.handlers.commit(i, text);
  }

  private create(layer: HTMLElement): Card {
    const root = el('div', 'gallery-card', layer);
    const image = el('img', 'gallery-thumb', root);
    image.loading = 'lazy';
    image.decoding = 'async';
    image.draggable = false;
    const head = el('div', 'gallery-head', root);
    const name = el('div', 'gallery-name', head);
    const stars = el('span', 'gallery-stars', head);
    const caption = el('textarea', 'gallery-caption', root);
    caption.rows = 3;
    caption.spellcheck = true;
    caption.setAttribute('aria-label', 'Caption');
    const second = el('div', 'gallery-caption2', root);
    second.hidden = true;
    const error = el('div', 'gallery-error', root);
    error.hidden = true;
    const card: Card = { key: -1, root, image, name, stars, caption, second, error };
    image.title = 'Open in the caption editor';
    image.addEventListener('click', () => this.handlers.open(card.key));
    caption.addEventListener('input', () => {
      this.drafts.set(card.key, caption.value);
      root.classList.add('unsaved');
    });
    caption.addEventListener('blur', () => this.commitIfEdited(card));
    caption.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        this.commitIfEdited(card);
      } else if (e.key === 'Escape') {
        e.preventDefault();
        this.drafts.delete(card.key);
        this.errors.delete(card.key);
        caption.value = this.captions[card.key] ?? '';
        this.fill(card);
      }
    });
    return card;
  }
}
