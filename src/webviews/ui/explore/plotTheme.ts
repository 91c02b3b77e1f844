/**
 * Colours and fonts of the Explore panel's plot and word cloud, read from VS Code's theme CSS
 * variables so that clusters read on light, dark and high-contrast themes alike.
 */

/** What the plot and the word cloud draw with. */
export interface PlotTheme {
  readonly background: string;
  readonly foreground: string;
  /** Grid lines and axis lines: faint against the background. */
  readonly grid: string;
  readonly fontFamily: string;
  readonly fontSize: number;
  /** Whether the background is dark (palette lightness follows it). */
  readonly dark: boolean;
  /** High-contrast themes get saturated, bright-or-deep colours and full-opacity markers. */
  readonly highContrast: boolean;
}

/** VS Code's chart colours, in the order the palette uses them; each adapts to the theme. */
const CHART_VARIABLES = ['--vscode-charts-blue', '--vscode-charts-orange', '--vscode-charts-green', '--vscode-charts-red', '--vscode-charts-purple', '--vscode-charts-yellow'];

/** Reads the current theme from the document's CSS variables (with fallbacks for a page outside VS Code). */
export function readPlotTheme(doc: Document = document): PlotTheme {
  const style = getComputedStyle(doc.body);
  const variable = (name: string, fallback: string): string => style.getPropertyValue(name).trim() || fallback;
  const classes = doc.body.classList;
  const highContrast = classes.contains('vscode-high-contrast') || classes.contains('vscode-high-contrast-light');
  const background = variable('--vscode-editor-background', classes.contains('vscode-light') || classes.contains('vscode-high-contrast-light') ? '#ffffff' : '#1e1e1e');
  const dark = luminance(parseColor(background) ?? [30, 30, 30]) < 0.4;
  const foreground = variable('--vscode-foreground', dark ? '#cccccc' : '#333333');
  const grid = variable('--vscode-editorWidget-border', '') || withAlpha(foreground, highContrast ? 0.5 : 0.15);
  const fontSize = Number.parseFloat(variable('--vscode-font-size', '13')) || 13;
  return { background, foreground, grid, fontFamily: variable('--vscode-font-family', 'sans-serif'), fontSize, dark, highContrast };
}

/**
 * `count` distinct colours: VS Code's chart colours first (the theme chose them to read on its
 * background), then hues a golden angle apart at a lightness that contrasts with the background.
 */
export function clusterPalette(count: number, theme: PlotTheme, doc: Document = document): string[] {
  const style = getComputedStyle(doc.body);
  const charts = CHART_VARIABLES.map((name) => style.getPropertyValue(name).trim()).filter((c) => c !== '');
  const colours: string[] = [];
  for (let i = 0; i < count; i++) {
    if (i < charts.length) {
      colours.push(charts[i]);
      continue;
    }
    const hue = (i * 137.508 + 20) % 360;
    const saturation = theme.highContrast ? 95 : 70;
    // alternate two lightness steps so neighbouring hues also differ in brightness
    const lightness = theme.dark ? (i % 2 ? 62 : 72) : (i % 2 ? 36 : 46);
    colours.push(`hsl(${hue.toFixed(1)}, ${saturation}%, ${lightness}%)`);
  }
  return colours;
}

/** The colour as r, g, b (0–255) when it is #rgb, #rrggbb(aa) or rgb()/rgba(); undefined otherwise. */
export function parseColor(colour: string): [number, number, number] | undefined {
  const hex = /^#([0-9a-f]{3,8})$/i.exec(colour.trim());
  if (hex) {
    const h = hex[1];
    if (h.length === 3 || h.length === 4) return [0, 1, 2].map((i) => parseInt(h[i] + h[i], 16)) as [number, number, number];
    if (h.length === 6 || h.length === 8) return [0, 2, 4].map((i) => parseInt(h.slice(i, i + 2), 16)) as [number, number, number];
    return undefined;
  }
  const rgb = /^rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)/i.exec(colour.trim());
  return rgb ? [Number(rgb[1]), Number(rgb[2]), Number(rgb[3])] : undefined;
}

/** The colour with an alpha channel (colours that do not parse are returned as they are). */
export function withAlpha(colour: string, alpha: number): string {
  const rgb = parseColor(colour);
  return rgb ? `rgba(${rgb[0]}, ${rgb[1]}, ${rgb[2]}, ${alpha})` : colour;
}

/** Relative luminance (0 black … 1 white), WCAG's formula. */
function luminance([r, g, b]: [number, number, number]): number {
  const channel = (v: number): number => {
    const c = v / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
}
