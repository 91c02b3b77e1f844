/**
 * The Explore panel's scatter plot: plotly.js `scattergl` (WebGL), one trace per cluster so the
 * legend shows and hides clusters, box and lasso selection reported as global item indices,
 * click and hover reported the same way (the panel draws its own tooltip: Plotly's is off),
 * keyword matches highlighted by dimming the rest. Typed arrays go straight into the traces and
 * every update is a `Plotly.react`, so 100,000 points stay interactive.
 */
import './plotStyles'; // before plotly: its bundle injects a <style> while loading
import * as Plotly from 'plotly.js-strict-dist-min';
import { clusterPalette, PlotTheme, readPlotTheme, withAlpha } from './plotTheme';
import { GroupedPoints, groupPoints, markerSize, opacityByTrace, PlotPoints, positionsByTrace } from './plotTraces';

export type { PlotPoints } from './plotTraces';

/** What the plot reports; every index is a global item index (the layout's order). */
export interface ScatterPlotHandlers {
  /** A box or lasso selection ended (null: the selection was cleared). */
  onSelect(indices: number[] | null): void;
  onClick(index: number): void;
  /** The pointer is over item `index` (null: over none) at these client coordinates. */
  onHover(index: number | null, clientX: number, clientY: number): void;
  /** A redraw failed (e.g. no WebGL); console.error when not given. */
  onError?(error: Error): void;
  /** The user hid or showed clusters from Plotly's legend: the ids now hidden (the panel's own list follows). */
  onLegend?(hidden: ReadonlySet<number>): void;
}

/** Opacity of points that do not match the keyword filter, or are outside the selection. */
const DIMMED = 0.12;
const DIMMED_HIGH_CONTRAST = 0.25;
const NORMAL = 0.8;

type PlotEventPoint = { curveNumber: number; pointNumber?: number; pointIndex?: number };
type PlotEvent = { points?: PlotEventPoint[]; event?: MouseEvent };
/** plotly_restyle's data: the attributes changed and the traces they changed on. */
type RestyleEvent = [Record<string, unknown>, number[]?];
/** The graph div as Plotly leaves it: its event emitter and the data and layout it keeps. */
type GraphDiv = Omit<Plotly.PlotlyHTMLElement, 'on' | 'data' | 'layout'> & {
  on(event: 'plotly_restyle', handler: (data: RestyleEvent | undefined) => void): void;
  on(event: string, handler: (data: PlotEvent | undefined) => void): void;
  data?: Array<{ visible?: boolean | 'legendonly' }>;
  layout?: { selections?: unknown[] };
};

export class ScatterPlot {
  private readonly graph: GraphDiv;
  private grouped: GroupedPoints | undefined;
  private count = 0;
  private theme: PlotTheme;
  private matches: Uint8Array | null = null;
  /** Per trace, the selected positions; undefined when nothing is selected. */
  private selected: Array<number[]> | undefined;
  /** Per trace, whether it is shown (the legend and showClusters change it). */
  private visible: boolean[] = [];
  private rendering: Promise<void> = Promise.resolve();
  /**
   * Set while a redraw of ours removes the user's box or lasso: Plotly then announces what the
   * (now empty) `layout.selections` selects, a `plotly_selected` with no points that the user never made.
   */
  private clearingBox = false;
  private readonly themeObserver: MutationObserver;
  private readonly resizeObserver: ResizeObserver;
  private resizeFrame = 0;
  private disposed = false;

  constructor(container: HTMLElement, private readonly handlers: ScatterPlotHandlers) {
    this.graph = document.createElement('div') as unknown as GraphDiv;
    this.graph.className = 'scatter-plot';
    this.graph.style.width = '100%';
    this.graph.style.height = '100%';
    container.appendChild(this.graph);
    this.theme = readPlotTheme();
    // VS Code swaps the body's theme class (vscode-light, vscode-dark, vscode-high-contrast…) and its variables together
    this.themeObserver = new MutationObserver(() => this.refreshTheme());
    this.themeObserver.observe(document.body, { attributes: true, attributeFilter: ['class'] });
    this.resizeObserver = new ResizeObserver(() => {
      cancelAnimationFrame(this.resizeFrame);
      this.resizeFrame = requestAnimationFrame(() => {
        // Plots.resize returns a promise (the types say void)
        if (this.grouped && !this.disposed) Promise.resolve(Plotly.Plots.resize(this.graph as unknown as HTMLElement) as unknown).catch((err: unknown) => this.fail(err));
      });
    });
    this.resizeObserver.observe(container);
  }

  /** Shows these points (replacing any before); resolves once the plot has drawn and takes input. */
  async setData(points: PlotPoints): Promise<void> {
    this.grouped = groupPoints(points);
    this.count = points.labels.length;
    this.matches = null;
    this.selected = undefined;
    this.visible = this.grouped.traces.map(() => true);
    const first = !this.graph.data;
    await this.render({ clearSelectionBox: true });
    if (first) this.listen();
    // one frame: the WebGL canvas is composited and the first input is handled
    await new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));
  }

  /** Keyword matches (1 per matching item) stand out, the others are dimmed; null shows all alike. */
  highlight(matches: Uint8Array | null): void {
    if (matches && matches.length !== this.count) {
      this.fail(new Error(`highlight has ${matches.length} flags for ${this.count} points`));
      return;
    }
    this.matches = matches;
    this.schedule({});
  }

  /** Selects these items (as if lassoed, without the outline), or clears the selection (null). */
  setSelection(indices: readonly number[] | null): void {
    if (!this.grouped) return;
    this.selected = positionsByTrace(this.grouped, indices);
    this.schedule({ clearSelectionBox: true });
  }

  /** Shows only the clusters with these ids (null: all). */
  showClusters(visible: ReadonlySet<number> | null): void {
    if (!this.grouped) return;
    this.visible = this.grouped.traces.map((trace) => visible === null || visible.has(trace.clusterId));
    this.schedule({});
  }

  /** Re-reads the theme's colours and fonts and redraws with them. */
  refreshTheme(): void {
    this.theme = readPlotTheme();
    if (this.grouped) this.schedule({});
  }

  dispose(): void {
    this.disposed = true;
    this.themeObserver.disconnect();
    this.resizeObserver.disconnect();
    cancelAnimationFrame(this.resizeFrame);
    Plotly.purge(this.graph as unknown as HTMLElement);
    this.graph.remove();
  }

  private schedule(options: { clearSelectionBox?: boolean }): void {
    this.render(options).catch((err: unknown) => this.fail(err));
  }

  /** One Plotly.react after the ones before it (they would otherwise interleave). */
  private render(options: { clearSelectionBox?: boolean }): Promise<void> {
    const run = this.rendering.catch(() => undefined).then(() => this.draw(options));
    this.rendering = run;
    return run;
  }

  private async draw(options: { clearSelectionBox?: boolean }): Promise<void> {
    const grouped = this.grouped;
    if (!grouped || this.disposed) return;
    const theme = this.theme;
    const colours = clusterPalette(grouped.traces.length, theme);
    const size = markerSize(this.count);
    const dimmed = theme.highContrast ? DIMMED_HIGH_CONTRAST : DIMMED;
    const opacity = this.matches ? opacityByTrace(grouped, this.matches, 1, dimmed) : undefined;
    const data = grouped.traces.map((trace, t) => ({
      type: 'scattergl',
      mode: 'markers',
      name: trace.name,
      x: trace.x,
      y: trace.y,
      visible: this.visible[t] ? true : 'legendonly',
      hoverinfo: 'none', // events still fire; the panel draws the tooltip (with the thumbnail)
      marker: { color: colours[t], size, opacity: opacity ? opacity[t] : NORMAL, line: { width: 0 } },
      selectedpoints: this.selected ? this.selected[t] : null,
      selected: { marker: { opacity: 1 } },
      unselected: { marker: { opacity: dimmed } },
    }));
    const layout: Record<string, unknown> = {
      autosize: true,
      uirevision: 'explore', // zoom and pan survive updates
      dragmode: 'select',
      hovermode: 'closest',
      showlegend: true,
      // Below the plot, in rows: a legend at the side took most of a narrow panel's width from the points.
      legend: { font: { color: theme.foreground }, bgcolor: 'rgba(0,0,0,0)', itemsizing: 'constant', orientation: 'h', x: 0, xanchor: 'left', y: -0.02, yanchor: 'top' },
      paper_bgcolor: 'rgba(0,0,0,0)',
      plot_bgcolor: 'rgba(0,0,0,0)',
      font: { family: theme.fontFamily, size: theme.fontSize, color: theme.foreground },
      margin: { l: 8, r: 8, t: 8, b: 8 },
      xaxis: { showticklabels: false, zeroline: false, gridcolor: theme.grid, linecolor: theme.grid },
      yaxis: { showticklabels: false, zeroline: false, gridcolor: theme.grid, linecolor: theme.grid },
      modebar: { bgcolor: 'rgba(0,0,0,0)', color: withAlpha(theme.foreground, 0.6), activecolor: theme.foreground },
      newselection: { line: { color: theme.foreground, dash: 'dot' } },
      // the box or lasso drawn by the user stays while the selection it made does
      selections: options.clearSelectionBox ? [] : this.graph.layout?.selections ?? [],
    };
    const config = { displaylogo: false, scrollZoom: true, responsive: false, modeBarButtonsToRemove: ['toImage', 'autoScale2d'] };
    this.clearingBox = !!options.clearSelectionBox && (this.graph.layout?.selections?.length ?? 0) > 0;
    try {
      await Plotly.react(this.graph as unknown as HTMLElement, data as unknown as Plotly.Data[], layout as Partial<Plotly.Layout>, config as Partial<Plotly.Config>);
    } finally {
      this.clearingBox = false;
    }
    if (this.graph.querySelector('.no-webgl')) {
      throw new Error('The plot needs WebGL, which this window does not offer (check that hardware acceleration is not disabled in VS Code).');
    }
  }

  /** The legend hides and shows traces inside Plotly (a restyle); keep what the user chose across redraws. */
  private readLegendState(): void {
    const traces = this.graph.data;
    if (!traces || traces.length !== this.visible.length) return;
    this.visible = traces.map((trace) => trace.visible !== 'legendonly' && trace.visible !== false);
  }

  private listen(): void {
    const graph = this.graph;
    graph.on('plotly_selected', (event) => {
      // setSelection's own echo would empty the group it just set (Select matches, a cluster opened after a box)
      if (this.clearingBox && !event?.points?.length) return;
      if (!event || !event.points) {
        this.selected = undefined;
        this.handlers.onSelect(null);
        return;
      }
      const indices = event.points.map((p) => this.globalIndex(p)).filter((i): i is number => i !== undefined);
      if (this.grouped) this.selected = positionsByTrace(this.grouped, indices);
      this.handlers.onSelect(indices);
    });
    graph.on('plotly_restyle', (event) => {
      if (!event || !('visible' in event[0])) return;
      this.readLegendState();
      const hidden = new Set<number>();
      this.grouped?.traces.forEach((trace, t) => {
        if (!this.visible[t] && trace.clusterId >= 0) hidden.add(trace.clusterId);
      });
      this.handlers.onLegend?.(hidden);
    });
    graph.on('plotly_deselect', () => {
      this.selected = undefined;
      this.handlers.onSelect(null);
    });
    graph.on('plotly_click', (event) => {
      const point = event?.points?.[0];
      const index = point ? this.globalIndex(point) : undefined;
      if (index !== undefined) this.handlers.onClick(index);
    });
    graph.on('plotly_hover', (event) => {
      const point = event?.points?.[0];
      const index = point ? this.globalIndex(point) : undefined;
      this.handlers.onHover(index ?? null, event?.event?.clientX ?? 0, event?.event?.clientY ?? 0);
    });
    graph.on('plotly_unhover', (event) => this.handlers.onHover(null, event?.event?.clientX ?? 0, event?.event?.clientY ?? 0));
  }

  /** The global item index of a point Plotly reports as (trace, position). */
  private globalIndex(point: PlotEventPoint): number | undefined {
    const trace = this.grouped?.traces[point.curveNumber];
    const position = point.pointIndex ?? point.pointNumber;
    return trace && position !== undefined && position < trace.items.length ? trace.items[position] : undefined;
  }

  private fail(err: unknown): void {
    const error = err instanceof Error ? err : new Error(String(err));
    if (this.handlers.onError) this.handlers.onError(error);
    else console.error(error);
  }
}
