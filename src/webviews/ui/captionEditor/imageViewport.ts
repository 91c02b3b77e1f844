/** Fit / 100% / zoom and drag-to-pan for the image, remembered through the webview state. */

export interface ZoomState {
  readonly mode: 'fit' | 'scale';
  readonly scale: number;
}

const MIN_SCALE = 0.05;
const MAX_SCALE = 32;
/** Small images zoom beyond MAX_SCALE until their longer side is this many CSS pixels. */
const MAX_ZOOMED_SIDE = 8192;
/** From this magnification on, pixels are drawn as crisp squares (VS Code's own image preview uses the same threshold). */
const PIXELATION_THRESHOLD = 3;

export class ImageViewport {
  private state: ZoomState = { mode: 'fit', scale: 1 };

  constructor(
    private readonly area: HTMLElement,
    private readonly image: HTMLImageElement,
    private readonly onChange: (state: ZoomState) => void,
  ) {
    image.addEventListener('load', () => this.apply());
    // "Fit" follows the pane's size: the fitted scale is set in pixels, so it is worked out again on every resize.
    new ResizeObserver(() => {
      if (this.state.mode === 'fit') this.apply();
    }).observe(area);
    area.addEventListener('wheel', (e) => {
      if (!e.ctrlKey && !e.metaKey) return;
      e.preventDefault();
      this.zoomBy(e.deltaY < 0 ? 1.1 : 1 / 1.1);
    }, { passive: false });
    this.enableDragPan();
  }

  restore(state: ZoomState | undefined): void {
    this.state = state ?? { mode: 'fit', scale: 1 };
    this.apply();
  }

  fit(): void {
    this.set({ mode: 'fit', scale: 1 });
  }

  actualSize(): void {
    this.set({ mode: 'scale', scale: 1 });
  }

  zoomBy(factor: number): void {
    const current = this.state.mode === 'fit' ? this.fittedScale() : this.state.scale;
    // Small images may go beyond 32x (Fit alone puts an icon there) until they are MAX_ZOOMED_SIDE wide;
    // a huge scan that Fit shows below the minimum never jumps up to it when zoomed out.
    const longest = Math.max(this.image.naturalWidth, this.image.naturalHeight, 1);
    const upper = Math.max(MAX_SCALE, MAX_ZOOMED_SIDE / longest);
    const scale = Math.min(upper, Math.max(Math.min(MIN_SCALE, current), current * factor));
    this.set({ mode: 'scale', scale });
  }

  private set(state: ZoomState): void {
    this.state = state;
    this.apply();
    this.onChange(state);
  }

  /** The scale at which the whole image fills the pane: below 1 for large images, above 1 for icons and sprites. */
  private fittedScale(): number {
    const { naturalWidth: w, naturalHeight: h } = this.image;
    if (!w || !h) return 1;
    return Math.min(this.area.clientWidth / w, this.area.clientHeight / h);
  }

  private apply(): void {
    const fit = this.state.mode === 'fit';
    this.area.classList.toggle('fit', fit);
    const { naturalWidth: w, naturalHeight: h } = this.image;
    if (!w || !h) {
      this.image.style.width = '';
      this.image.style.height = '';
      this.image.classList.remove('pixelated');
      return;
    }
    const scale = fit ? this.fittedScale() : this.state.scale;
    // Rounded down in fit mode so that the image never overflows the pane by a pixel and shows scroll bars.
    const size = (n: number): string => `${Math.max(1, fit ? Math.floor(n * scale) : Math.round(n * scale))}px`;
    this.image.style.width = size(w);
    this.image.style.height = size(h);
    this.image.classList.toggle('pixelated', scale >= PIXELATION_THRESHOLD);
  }

  private enableDragPan(): void {
    let drag: { x: number; y: number; left: number; top: number } | undefined;
    this.area.addEventListener('pointerdown', (e) => {
      if (this.state.mode === 'fit') return;
      drag = { x: e.clientX, y: e.clientY, left: this.area.scrollLeft, top: this.area.scrollTop };
      this.area.setPointerCapture(e.pointerId);
      this.area.classList.add('panning');
    });
    this.area.addEventListener('pointermove', (e) => {
      if (!drag) return;
      this.area.scrollLeft = drag.left - (e.clientX - drag.x);
      this.area.scrollTop = drag.top - (e.clientY - drag.y);
    });
    const end = (): void => {
      drag = undefined;
      this.area.classList.remove('panning');
    };
    this.area.addEventListener('pointerup', end);
    this.area.addEventListener('pointercancel', end);
  }
}
