/** A tiny raster canvas for the generated sample images: flat fills with anti-aliased edges over a raw RGB(A) buffer. */

export type Color = readonly [number, number, number] | readonly [number, number, number, number];

/** Seeded PRNG (mulberry32): the sample dataset must be the same bytes on every run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function mix(a: Color, b: Color, t: number): Color {
  const k = Math.min(1, Math.max(0, t));
  return [a[0] + (b[0] - a[0]) * k, a[1] + (b[1] - a[1]) * k, a[2] + (b[2] - a[2]) * k];
}

export function withAlpha(c: Color, alpha: number): Color {
  return [c[0], c[1], c[2], alpha];
}

const clamp01 = (v: number): number => (v < 0 ? 0 : v > 1 ? 1 : v);

export class Canvas {
  readonly pixels: Buffer;

  /** Starts transparent with 4 channels, black with 3. */
  constructor(readonly width: number, readonly height: number, readonly channels: 3 | 4 = 3) {
    this.pixels = Buffer.alloc(width * height * channels);
  }

  /** Composites `color` over one pixel ("over" operator), weighted by `coverage` and the color's alpha. */
  blend(x: number, y: number, color: Color, coverage = 1): void {
    if (x < 0 || y < 0 || x >= this.width || y >= this.height || coverage <= 0) return;
    const a = coverage * ((color[3] ?? 255) / 255);
    const i = (y * this.width + x) * this.channels;
    const p = this.pixels;
    const dstA = this.channels === 4 ? p[i + 3] / 255 : 1;
    const outA = a + dstA * (1 - a);
    if (outA <= 0) return;
    for (let c = 0; c < 3; c++) p[i + c] = Math.round((color[c] * a + p[i + c] * dstA * (1 - a)) / outA);
    if (this.channels === 4) p[i + 3] = Math.round(outA * 255);
  }

  /** Colors every pixel with `shade(x, y)`. */
  paint(shade: (x: number, y: number) => Color): void {
    for (let y = 0; y < this.height; y++) for (let x = 0; x < this.width; x++) this.blend(x, y, shade(x, y));
  }

  /** A vertical gradient from `top` at row y0 to `bottom` at row y1, filling rows y0..y1. */
  gradient(top: Color, bottom: Color, y0 = 0, y1 = this.height): void {
    for (let y = Math.max(0, Math.floor(y0)); y < Math.min(this.height, y1); y++) {
      const c = mix(top, bottom, (y - y0) / Math.max(1, y1 - y0));
      for (let x = 0; x < this.width; x++) this.blend(x, y, c);
    }
  }

  rect(x0: number, y0: number, x1: number, y1: number, color: Color): void {
    this.region(x0, y0, x1, y1, (x, y) => clamp01(Math.min(x + 1 - x0, x1 - x)) * clamp01(Math.min(y + 1 - y0, y1 - y)), color);
  }

  circle(cx: number, cy: number, r: number, color: Color): void {
    this.region(cx - r, cy - r, cx + r, cy + r, (x, y) => clamp01(r + 0.5 - Math.hypot(x + 0.5 - cx, y + 0.5 - cy)), color);
  }

  ellipse(cx: number, cy: number, rx: number, ry: number, color: Color): void {
    const r = Math.min(rx, ry);
    this.region(cx - rx, cy - ry, cx + rx, cy + ry, (x, y) => clamp01((1 - Math.hypot((x + 0.5 - cx) / rx, (y + 0.5 - cy) / ry)) * r + 0.5), color);
  }

  /** A sphere look: `light` at the upper left fading to `dark` at the far edge. */
  shadedCircle(cx: number, cy: number, r: number, light: Color, dark: Color): void {
    const hx = cx - r * 0.35;
    const hy = cy - r * 0.4;
    for (let y = Math.floor(cy - r); y <= cy + r; y++) {
      for (let x = Math.floor(cx - r); x <= cx + r; x++) {
        const coverage = clamp01(r + 0.5 - Math.hypot(x + 0.5 - cx, y + 0.5 - cy));
        if (coverage > 0) this.blend(x, y, mix(light, dark, Math.hypot(x - hx, y - hy) / (r * 1.4)), coverage);
      }
    }
  }

  /** A convex polygon, points in order (either direction). */
  polygon(points: ReadonlyArray<readonly [number, number]>, color: Color): void {
    const xs = points.map((p) => p[0]);
    const ys = points.map((p) => p[1]);
    const sign = Math.sign(points.reduce((s, p, i) => { const q = points[(i + 1) % points.length]; return s + p[0] * q[1] - q[0] * p[1]; }, 0));
    this.region(Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys), (x, y) => {
      let inside = Infinity;
      for (let i = 0; i < points.length; i++) {
        const [ax, ay] = points[i];
        const [bx, by] = points[(i + 1) % points.length];
        const len = Math.hypot(bx - ax, by - ay) || 1;
        inside = Math.min(inside, (sign * ((bx - ax) * (y + 0.5 - ay) - (by - ay) * (x + 0.5 - ax))) / len);
      }
      return clamp01(inside + 0.5);
    }, color);
  }

  line(x0: number, y0: number, x1: number, y1: number, width: number, color: Color): void {
    const dx = x1 - x0;
    const dy = y1 - y0;
    const len2 = dx * dx + dy * dy || 1;
    const pad = width;
    this.region(Math.min(x0, x1) - pad, Math.min(y0, y1) - pad, Math.max(x0, x1) + pad, Math.max(y0, y1) + pad, (x, y) => {
      const t = clamp01(((x + 0.5 - x0) * dx + (y + 0.5 - y0) * dy) / len2);
      return clamp01(width / 2 + 0.5 - Math.hypot(x + 0.5 - x0 - t * dx, y + 0.5 - y0 - t * dy));
    }, color);
  }

  /** Fills everything below the curve y = edge(x): hills, water, ground. */
  below(edge: (x: number) => number, color: Color): void {
    for (let x = 0; x < this.width; x++) {
      const top = edge(x + 0.5);
      for (let y = Math.max(0, Math.floor(top)); y < this.height; y++) this.blend(x, y, color, clamp01(y + 1 - top));
    }
  }

  private region(x0: number, y0: number, x1: number, y1: number, coverage: (x: number, y: number) => number, color: Color): void {
    for (let y = Math.max(0, Math.floor(y0)); y <= Math.min(this.height - 1, Math.ceil(y1)); y++) {
      for (let x = Math.max(0, Math.floor(x0)); x <= Math.min(this.width - 1, Math.ceil(x1)); x++) {
        const c = coverage(x, y);
        if (c > 0) this.blend(x, y, color, c);
      }
    }
  }
}
