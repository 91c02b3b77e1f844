/**
 * The report's bar chart: the main metrics per model (COCO BLEU-1..4, NLTK BLEU-4, CIDEr-D), one
 * trace per model, with plotly.js's strict bundle (no 'unsafe-eval'; see webviewCsp.ts). CLIP scores
 * (0–100) are left to the table: on this axis they would flatten every other bar. Its PNG comes
 * from Plotly.toImage, drawn in the webview and handed to the host as bytes.
 */
import '../explore/plotStyles'; // before plotly: its bundle injects a <style> while loading
import * as Plotly from 'plotly.js-strict-dist-min';
import type { ModelSummary } from '../../../core/evaluation/evaluationReport';
import { clusterPalette, readPlotTheme } from '../explore/plotTheme';

/** The chart's categories and how each is read from a model's summary. */
export const CHART_METRICS: ReadonlyArray<{ readonly label: string; readonly value: (m: ModelSummary) => number | undefined }> = [
  { label: 'BLEU-1 (COCO)', value: (m) => m.cocoBleu?.[0] },
  { label: 'BLEU-2 (COCO)', value: (m) => m.cocoBleu?.[1] },
  { label: 'BLEU-3 (COCO)', value: (m) => m.cocoBleu?.[2] },
  { label: 'BLEU-4 (COCO)', value: (m) => m.cocoBleu?.[3] },
  { label: 'BLEU-4 (NLTK)', value: (m) => m.nltkCorpusBleu?.[3] },
  { label: 'CIDEr-D', value: (m) => m.ciderD },
];

export class MetricChart {
  private models: readonly ModelSummary[] = [];

  constructor(private readonly graph: HTMLElement) {
    // VS Code swaps the body's theme class with its variables: the chart follows.
    new MutationObserver(() => void this.draw()).observe(document.body, { attributes: true, attributeFilter: ['class'] });
    new ResizeObserver(() => {
      if (this.models.length) void Promise.resolve(Plotly.Plots.resize(graph)).catch(() => undefined);
    }).observe(graph);
  }

  /** Draws the models' bars (a model with nothing scored has none). */
  async show(models: readonly ModelSummary[]): Promise<void> {
    this.models = models;
    await this.draw();
  }

  /** The chart as PNG bytes, at the size it is shown (at least 640×360). */
  async png(): Promise<Uint8Array> {
    const width = Math.max(640, this.graph.clientWidth);
    const height = Math.max(360, this.graph.clientHeight);
    const url = await Plotly.toImage(this.graph, { format: 'png', width, height });
    const base64 = url.slice(url.indexOf(',') + 1);
    return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  }

  private async draw(): Promise<void> {
    const theme = readPlotTheme();
    const colours = clusterPalette(this.models.length, theme);
    const categories = CHART_METRICS.map((m) => m.label);
    const data: Plotly.Data[] = this.models.map((model, i) => ({
      type: 'bar',
      name: model.label,
      x: categories,
      y: CHART_METRICS.map((m) => m.value(model) ?? null),
      marker: { color: colours[i] },
      hovertemplate: '%{y:.4f}<extra>%{fullData.name}</extra>',
    }));
    const layout: Partial<Plotly.Layout> = {
      barmode: 'group',
      paper_bgcolor: theme.background,
      plot_bgcolor: theme.background,
      font: { family: theme.fontFamily, size: theme.fontSize, color: theme.foreground },
      margin: { l: 48, r: 12, t: 12, b: 48 },
      xaxis: { gridcolor: theme.grid, linecolor: theme.grid },
      yaxis: { gridcolor: theme.grid, linecolor: theme.grid, rangemode: 'tozero' },
      legend: { orientation: 'h', y: -0.2 },
    };
    await Plotly.react(this.graph, data, layout, { displaylogo: false, responsive: true, modeBarButtonsToRemove: ['toImage', 'select2d', 'lasso2d'] });
  }
}
