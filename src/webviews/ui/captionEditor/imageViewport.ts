/** Fit / 100% / zoom and drag-to-pan for the image, remembered through the webview state. */

export interface ZoomState {
  readonly mode: 'fit' | 'scale';
  readonly scale: number;
}

const MIN_SCALE = 0.05;
const MAX_SCALE = 32;

export class ImageViewport {
  private state: ZoomState = { mode: 'fit', scale: 1 };

  constructor(
    private readonly area: HTMLElement,
    private readonly image: HTMLImageElement,
    private readonly onChange: (state: ZoomState) => void,
  ) {
    image.addEventListener('load', () => this.apply());
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
    this.set({ mode: 'scale', scale: Math.min(MAX_SCALE, Math.max(MIN_SCALE, current * factor)) });
  }

  private set(state: ZoomState): void {
    this.state = state;
    this.apply();
    this.onChange(state);
  }

  private fittedScale(): number {
    const { naturalWidth: w, naturalHeight: h } = this.image;
    if (!w || !h) return 1;
    return Math.min(this.area.clientWidth / w, this.area.clientHeight / h, 1);
  }

  private apply(): void {
    const fit = this.state.mode === 'fit';
    this.area.classList.toggle('fit', fit);
    if (fit) {
      this.image.style.width = '';
      this.image.style.height = '';
    } else {
      this.image.style.width = `${Math.round(this.image.naturalWidth * this.state.scale)}px`;
      this.image.style.height = `${Math.round(this.image.naturalHeight * this.state.scale)}px`;
    }
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
