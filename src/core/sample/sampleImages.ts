/** The procedurally drawn scenes of the sample dataset; each caption in sampleDataset.ts describes one of these. */
import { Canvas, Color, mix, seededRandom, withAlpha } from './sampleCanvas';

const WHITE: Color = [255, 255, 255];
const BLACK: Color = [15, 15, 15];
const DAY_SKY_TOP: Color = [60, 120, 215];
const DAY_SKY_BOTTOM: Color = [175, 215, 250];

/** A gentle wave across the width: `base` and `amplitude` as fractions of the height. */
function hillEdge(c: Canvas, base: number, amplitude: number, waves: number, phase: number): (x: number) => number {
  return (x) => c.height * (base + amplitude * Math.sin((x / c.width) * Math.PI * 2 * waves + phase));
}

export function sunset(w: number, h: number): Canvas {
  const c = new Canvas(w, h);
  c.gradient([60, 30, 100], [255, 150, 60], 0, h * 0.72);
  c.gradient([255, 150, 60], [255, 170, 80], h * 0.72, h);
  c.circle(w * 0.5, h * 0.66, h * 0.2, withAlpha([255, 200, 90], 60));
  c.circle(w * 0.5, h * 0.66, h * 0.12, [255, 200, 70]);
  c.below(hillEdge(c, 0.7, 0.04, 1.3, 0.5), [95, 40, 65]);
  c.below(hillEdge(c, 0.8, 0.05, 0.8, 2), [40, 20, 40]);
  return c;
}

export function meadow(w: number, h: number): Canvas {
  const c = new Canvas(w, h);
  c.gradient(DAY_SKY_TOP, DAY_SKY_BOTTOM, 0, h * 0.65);
  c.circle(w * 0.8, h * 0.2, h * 0.08, [255, 230, 80]);
  c.below(hillEdge(c, 0.56, 0.06, 1.5, 1), [120, 180, 95]);
  c.below(hillEdge(c, 0.72, 0.07, 0.9, 4), [55, 135, 50]);
  return c;
}

export function nightHills(w: number, h: number): Canvas {
  const c = new Canvas(w, h);
  c.gradient([8, 12, 40], [35, 45, 100]);
  const random = seededRandom(7);
  for (let i = 0; i < 120; i++) c.circle(random() * w, random() * h * 0.6, 0.6 + random() * 1.2, WHITE);
  c.circle(w * 0.25, h * 0.25, h * 0.08, [240, 238, 215]);
  c.below(hillEdge(c, 0.7, 0.06, 1.1, 3), [15, 25, 55]);
  return c;
}

export function lake(w: number, h: number): Canvas {
  const c = new Canvas(w, h);
  c.gradient(DAY_SKY_TOP, DAY_SKY_BOTTOM, 0, h * 0.6);
  c.below(hillEdge(c, 0.45, 0.05, 1.2, 0), [70, 140, 70]);
  c.gradient([60, 110, 170], [25, 65, 125], h * 0.6, h);
  const random = seededRandom(11);
  for (let i = 0; i < 40; i++) {
    const y = h * (0.62 + random() * 0.36);
    const x = random() * w;
    c.line(x, y, x + 20 + random() * 60, y, 2, withAlpha(WHITE, 90));
  }
  return c;
}

/** Drawn upright (portrait); sampleDataset.ts stores it rotated with EXIF orientation 6. */
export function tallTree(w: number, h: number): Canvas {
  const c = new Canvas(w, h);
  c.gradient(DAY_SKY_TOP, DAY_SKY_BOTTOM, 0, h * 0.75);
  c.rect(0, h * 0.75, w, h, [80, 160, 60]);
  c.rect(w * 0.45, h * 0.42, w * 0.55, h * 0.8, [110, 70, 35]);
  const crown: Color = [40, 120, 40];
  for (const [dx, dy, r] of [[0, -0.1, 0.2], [-0.16, 0, 0.16], [0.16, 0, 0.16], [0, 0.04, 0.18]]) {
    c.circle(w * (0.5 + dx), h * 0.34 + w * dy, w * r, crown);
  }
  return c;
}

export function house(w: number, h: number): Canvas {
  const c = new Canvas(w, h);
  c.gradient(DAY_SKY_TOP, DAY_SKY_BOTTOM, 0, h * 0.7);
  c.rect(0, h * 0.7, w, h, [80, 160, 60]);
  c.rect(w * 0.64, h * 0.31, w * 0.73, h * 0.42, [140, 60, 50]);
  c.rect(w * 0.2, h * 0.45, w * 0.8, h * 0.75, [232, 212, 170]);
  c.polygon([[w * 0.12, h * 0.46], [w * 0.5, h * 0.3], [w * 0.88, h * 0.46]], [190, 40, 40]);
  c.rect(w * 0.44, h * 0.6, w * 0.56, h * 0.75, [120, 70, 30]);
  for (const x of [0.26, 0.62]) {
    c.rect(w * x - 3, h * 0.52 - 3, w * (x + 0.12) + 3, h * 0.6 + 3, WHITE);
    c.rect(w * x, h * 0.52, w * (x + 0.12), h * 0.6, [120, 180, 230]);
  }
  return c;
}

export function redCar(w: number, h: number): Canvas {
  const c = new Canvas(w, h);
  c.gradient(DAY_SKY_TOP, DAY_SKY_BOTTOM, 0, h * 0.62);
  c.rect(0, h * 0.62, w, h, [90, 90, 95]);
  for (let x = 0; x < w; x += 100) c.rect(x + 10, h * 0.86, x + 70, h * 0.88, WHITE);
  const red: Color = [210, 30, 30];
  c.polygon([[w * 0.3, h * 0.5], [w * 0.37, h * 0.37], [w * 0.63, h * 0.37], [w * 0.72, h * 0.5]], red);
  c.polygon([[w * 0.335, h * 0.49], [w * 0.385, h * 0.395], [w * 0.49, h * 0.395], [w * 0.49, h * 0.49]], [170, 215, 240]);
  c.polygon([[w * 0.51, h * 0.49], [w * 0.51, h * 0.395], [w * 0.615, h * 0.395], [w * 0.68, h * 0.49]], [170, 215, 240]);
  c.rect(w * 0.18, h * 0.5, w * 0.82, h * 0.67, red);
  c.rect(w * 0.8, h * 0.53, w * 0.82, h * 0.57, [255, 230, 120]);
  for (const x of [0.32, 0.68]) {
    c.circle(w * x, h * 0.68, h * 0.075, BLACK);
    c.circle(w * x, h * 0.68, h * 0.03, [170, 170, 170]);
  }
  return c;
}

/** A red ball; on a transparent background when `scene` is false, else on a floor before a wall. */
export function ball(size: number, scene: boolean): Canvas {
  const c = new Canvas(size, size, scene ? 3 : 4);
  if (scene) {
    c.rect(0, 0, size, size * 0.65, [225, 225, 218]);
    c.rect(0, size * 0.65, size, size, [170, 160, 150]);
    for (let k = 0; k < 6; k++) c.ellipse(size * 0.52, size * 0.82, size * (0.34 - k * 0.03), size * (0.06 - k * 0.006), withAlpha(BLACK, 30));
  }
  c.shadedCircle(size * 0.5, size * 0.5, size * 0.32, [255, 120, 110], [140, 10, 15]);
  return c;
}

export function catFace(size: number): Canvas {
  const s = size;
  const c = new Canvas(s, s);
  c.rect(0, 0, s, s, [200, 225, 240]);
  const orange: Color = [240, 150, 50];
  const pink: Color = [245, 160, 170];
  for (const side of [-1, 1]) {
    const x = (f: number): number => s * (0.5 + side * f);
    c.polygon([[x(0.33), s * 0.5], [x(0.25), s * 0.1], [x(0.05), s * 0.3]], orange);
    c.polygon([[x(0.28), s * 0.38], [x(0.24), s * 0.18], [x(0.13), s * 0.3]], pink);
  }
  c.circle(s * 0.5, s * 0.55, s * 0.32, orange);
  for (const side of [-1, 1]) {
    c.circle(s * (0.5 + side * 0.13), s * 0.48, s * 0.06, [90, 180, 80]);
    c.circle(s * (0.5 + side * 0.13), s * 0.48, s * 0.025, BLACK);
    for (const dy of [-0.03, 0, 0.03]) c.line(s * (0.5 + side * 0.1), s * 0.64, s * (0.5 + side * 0.4), s * (0.62 + dy * 2), 2, [60, 40, 30]);
  }
  c.polygon([[s * 0.46, s * 0.59], [s * 0.54, s * 0.59], [s * 0.5, s * 0.64]], pink);
  c.line(s * 0.5, s * 0.64, s * 0.46, s * 0.68, 2, [60, 40, 30]);
  c.line(s * 0.5, s * 0.64, s * 0.54, s * 0.68, 2, [60, 40, 30]);
  return c;
}

export function checkerboard(size: number, squares: number): Canvas {
  const c = new Canvas(size, size);
  const cell = size / squares;
  c.paint((x, y) => ((Math.floor(x / cell) + Math.floor(y / cell)) % 2 ? BLACK : [240, 240, 240]));
  return c;
}

/** Soft gray value noise: two octaves of smoothly interpolated random grids. */
export function noise(w: number, h: number): Canvas {
  const random = seededRandom(3);
  const octave = (cell: number): ((x: number, y: number) => number) => {
    const cols = Math.ceil(w / cell) + 2;
    const grid = Array.from({ length: cols * (Math.ceil(h / cell) + 2) }, random);
    const smooth = (t: number): number => t * t * (3 - 2 * t);
    return (x, y) => {
      const gx = Math.floor(x / cell), gy = Math.floor(y / cell);
      const tx = smooth(x / cell - gx), ty = smooth(y / cell - gy);
      const at = (i: number, j: number): number => grid[(gy + j) * cols + gx + i];
      return (at(0, 0) * (1 - tx) + at(1, 0) * tx) * (1 - ty) + (at(0, 1) * (1 - tx) + at(1, 1) * tx) * ty;
    };
  };
  const coarse = octave(48);
  const fine = octave(8);
  const c = new Canvas(w, h);
  c.paint((x, y) => mix(BLACK, WHITE, 0.7 * coarse(x, y) + 0.3 * fine(x, y)));
  return c;
}

/** Seen from above: a wooden table, a saucer, a white cup of black coffee with its handle. */
export function coffeeCup(w: number, h: number): Canvas {
  const c = new Canvas(w, h);
  const random = seededRandom(5);
  c.paint((x, y) => mix([160, 105, 60], [105, 65, 35], 0.5 + 0.4 * Math.sin(y * 0.12 + 3 * Math.sin(x * 0.01 + y * 0.015)) + 0.1 * random()));
  const cx = w * 0.47, cy = h * 0.5;
  c.circle(cx, cy, h * 0.4, [200, 200, 195]);
  c.circle(cx, cy, h * 0.395, [248, 246, 240]);
  c.circle(cx, cy, h * 0.31, [232, 230, 224]);
  c.rect(cx + h * 0.2, cy - h * 0.045, cx + h * 0.37, cy + h * 0.045, [190, 190, 185]);
  c.rect(cx + h * 0.2, cy - h * 0.035, cx + h * 0.36, cy + h * 0.035, WHITE);
  c.circle(cx, cy, h * 0.265, [190, 190, 185]);
  c.circle(cx, cy, h * 0.26, WHITE);
  c.circle(cx, cy, h * 0.215, [60, 35, 20]);
  return c;
}

/** A dark green chalkboard in a wooden frame with rows of chalk strokes. */
export function chalkboard(w: number, h: number): Canvas {
  const c = new Canvas(w, h);
  c.rect(0, 0, w, h, [130, 85, 45]);
  c.rect(w * 0.06, w * 0.06, w * 0.94, h - w * 0.06, [30, 60, 45]);
  const random = seededRandom(9);
  for (let y = h * 0.1; y < h * 0.9; y += h * 0.07) {
    for (let x = w * 0.12; x < w * 0.8; ) {
      const len = w * (0.05 + random() * 0.15);
      c.line(x, y, Math.min(x + len, w * 0.88), y + (random() - 0.5) * 4, 3, withAlpha([235, 235, 225], 210));
      x += len + w * 0.04;
    }
  }
  return c;
}
