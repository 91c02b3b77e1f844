/**
 * Zoom and pan of the stage. The image is drawn once by the browser and moved with a CSS
 * transform (the compositor scales it, so a 24-megapixel image pans as smoothly as a small one);
 * only the overlay is redrawn. Coordinates of regions are 0..1 of the image.
 */

const MIN_SCALE = 0.01;
const MAX_SCALE = 64;

export interface Transform {
  readonly scale: number;
  readonly x: number;
  readonly y: number;
}

export class Viewport {
  private transform: Transform = { scale: 1, x: 0, y: 0 };
  private fitted = true;
  private width = 0;
  private height = 0;
  private panning?: { pointerId: number; x: number; y: number; start: Transform };
  private spaceDown = false;

  constructor(
    private readonly stage: HTMLElement,
    private readonly image: HTMLImageElement,
    /** Called after every change of the transform or the stage's size. */
    private readonly onChange: () => void,
  ) {
    new ResizeObserver(() => {
      if (this.fitted) this.fit();
      else this.onChange();
    }).observe(stage);
    stage.addEventListener('wheel', (e) => {
      e.preventDefault();
      const rect = stage.getBoundingClientRect();
      this.zoomAt(Math.exp(-e.deltaY * 0.0015), e.clientX - rect.left, e.clientY - rect.top);
    }, { passive: false });
    window.addEventListener('keydown', (e) => {
      if (e.key === ' ' && !isTyping(e)) {
        this.spaceDown = true;
        stage.classList.add('can-pan');
        e.preventDefault();
      }
    });
    window.addEventListener('keyup', (e) => {
      if (e.key === ' ') {
        this.spaceDown = false;
        stage.classList.remove('can-pan');
      }
    });
    // capture phase: a pan starts before any tool sees the pointer
    stage.addEventListener('pointerdown', (e) => {
      if (e.button !== 1 && !(e.button === 0 && this.spaceDown)) return;
      e.preventDefault();
      e.stopImmediatePropagation();
      this.panning = { pointerId: e.pointerId, x: e.clientX, y: e.clientY, start: this.transform };
      stage.setPointerCapture(e.pointerId);
      stage.classList.add('panning');
    }, { capture: true });
    stage.addEventListener('pointermove', (e) => {
      if (!this.panning || e.pointerId !== this.panning.pointerId) return;
      e.stopImmediatePropagation();
      const { start } = this.panning;
      this.set({ scale: start.scale, x: start.x + e.clientX - this.panning.x, y: start.y + e.clientY - this.panning.y });
    }, { capture: true });
    const end = (e: PointerEvent): void => {
      if (!this.panning || e.pointerId !== this.panning.pointerId) return;
      e.stopImmediatePropagation();
      this.panning = undefined;
      stage.classList.remove('panning');
    };
    stage.addEventListener('pointerup', end, { capture: true });
    stage.addEventListener('pointercancel', end, { capture: true });
  }

  /** The image's size in pixels (0 until known). */
  setImageSize(width: number, height: number): void {
    this.width = width;
    this.height = height;
    this.image.style.width = `${width}px`;
    this.image.style.height = `${height}px`;
    this.fit();
  }

  get current(): Transform {
    return this.transform;
  }

  get imageWidth(): number {
    return this.width;
  }

  get imageHeight(): number {
    return this.height;
  }

  /** The whole image in the stage, centred. */
  fit(): void {
    const w = this.stage.clientWidth;
    const h = this.stage.clientHeight;
    if (!this.width || !this.height || !w || !h) {
      this.onChange();
      return;
    }
    const scale = Math.min(w / this.width, h / this.height) * 0.98;
    this.set({ scale, x: (w - this.width * scale) / 2, y: (h - this.height * scale) / 2 });
    this.fitted = true;
  }

  /** Zooms by `factor` keeping the stage point (sx, sy) (default: its centre) where it is. */
  zoomAt(factor: number, sx = this.stage.clientWidth / 2, sy = this.stage.clientHeight / 2): void {
    const t = this.transform;
    const scale = Math.min(MAX_SCALE, Math.max(MIN_SCALE, t.scale * factor));
    const k = scale / t.scale;
    this.set({ scale, x: sx - (sx - t.x) * k, y: sy - (sy - t.y) * k });
  }

  /** Stage pixels of a point in 0..1 of the image. */
  toStage(nx: number, ny: number): [number, number] {
    const t = this.transform;
    return [t.x + nx * this.width * t.scale, t.y + ny * this.height * t.scale];
  }

  /** The point in 0..1 of the image under a pointer event (may lie outside 0..1). */
  toImage(e: { clientX: number; clientY: number }): [number, number] {
    const rect = this.stage.getBoundingClientRect();
    const t = this.transform;
    return [(e.clientX - rect.left - t.x) / (this.width * t.scale || 1), (e.clientY - rect.top - t.y) / (this.height * t.scale || 1)];
  }

  private set(t: Transform): void {
    this.transform = t;
    this.fitted = false;
    this.image.style.transform = `translate(${t.x}px, ${t.y}px) scale(${t.scale})`;
    this.image.classList.toggle('pixelated', t.scale >= 3);
    this.onChange();
  }
}

/** True when a key goes to a text field, not to the editor's shortcuts. */
export function isTyping(e: KeyboardEvent): boolean {
  const target = e.target as HTMLElement | null;
  return !!target && (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA' || target.isContentEditable) && (target as HTMLInputElement).type !== 'range';
}
