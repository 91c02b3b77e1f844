/**
 * The clusters of a layout: id, size and distinctive terms per row; a click (or typing the
 * cluster's number, the NVIDIA tool's flow) makes it the gallery's group; a checkbox per row shows
 * or hides it in the plot (the legend toggles).
 */
import type { ClusterSummary } from '../../protocol/exploreMessages';
import { el, type TextField } from './elements';
import { clusterPalette, readPlotTheme } from './plotTheme';

/** What the list asks of the panel. */
export interface ClusterListHandlers {
  open(clusterId: number): void;
  visibility(hidden: ReadonlySet<number>): void;
}

export class ClusterList {
  private readonly list: HTMLElement;
  private readonly numberField: TextField;
  private readonly summary: HTMLElement;
  private clusters: readonly ClusterSummary[] = [];
  private readonly hidden = new Set<number>();
  private active: number | null = null;

  constructor(parent: HTMLElement, private readonly handlers: ClusterListHandlers) {
    const head = el('div', 'cluster-head', parent);
    this.summary = el('span', 'cluster-summary', head);
    this.numberField = document.createElement('vscode-textfield') as TextField;
    this.numberField.id = 'cluster-number';
    this.numberField.setAttribute('type', 'number');
    this.numberField.setAttribute('min', '0');
    this.numberField.placeholder = 'Cluster #';
    this.numberField.setAttribute('aria-label', 'Open cluster number');
    this.numberField.title = 'Type a cluster number and press Enter: its images go to the gallery and its words to the cloud';
    head.appendChild(this.numberField);
    this.list = el('ol', 'cluster-list', parent);
    this.list.id = 'cluster-list';
    this.numberField.addEventListener('keydown', (e) => {
      if (e.key !== 'Enter') return;
      const id = Number(this.numberField.value);
      const known = this.clusters.some((c) => c.id === id);
      this.numberField.invalid = !known;
      if (known) this.handlers.open(id);
    });
  }

  /** A new layout's clusters; `hidden` are the ones toggled off (restored state). */
  setClusters(clusters: readonly ClusterSummary[], hidden: readonly number[]): void {
    this.clusters = clusters;
    this.hidden.clear();
    for (const id of hidden) if (clusters.some((c) => c.id === id)) this.hidden.add(id);
    this.summary.textContent = `${clusters.length} clusters`;
    this.list.replaceChildren(...clusters.map((c) => this.row(c)));
    this.recolour();
    this.setActive(this.active);
  }

  /** Swatches in the plot's colours (cluster t of the layout is the plot's trace t); again after a theme change. */
  recolour(): void {
    const colours = clusterPalette(this.clusters.length, readPlotTheme());
    this.list.querySelectorAll<HTMLElement>('.cluster-swatch').forEach((swatch, t) => (swatch.style.background = colours[t] ?? ''));
  }

  /** Marks the cluster the gallery shows (null: none). */
  setActive(id: number | null): void {
    this.active = id;
    for (const row of this.list.children) row.classList.toggle('active', (row as HTMLElement).dataset.cluster === String(id));
    if (id !== null) this.numberField.value = String(id);
  }

  /** Shows which clusters are hidden when they were toggled elsewhere (the plot's legend); reports nothing back. */
  setHidden(hidden: ReadonlySet<number>): void {
    this.hidden.clear();
    for (const id of hidden) this.hidden.add(id);
    for (const row of this.list.querySelectorAll<HTMLElement>('.cluster-row')) {
      const toggle = row.querySelector<HTMLInputElement>('.cluster-visible');
      if (toggle) toggle.checked = !this.hidden.has(Number(row.dataset.cluster));
    }
  }

  /** Clusters toggled off. */
  hiddenClusters(): number[] {
    return [...this.hidden];
  }

  private row(cluster: ClusterSummary): HTMLElement {
    const row = el('li', 'cluster-row');
    row.dataset.cluster = String(cluster.id);
    row.tabIndex = 0;
    const toggle = el('input', 'cluster-visible', row);
    toggle.type = 'checkbox';
    toggle.checked = !this.hidden.has(cluster.id);
    toggle.title = 'Show this cluster in the plot';
    toggle.setAttribute('aria-label', `Show cluster ${cluster.id}`);
    el('span', 'cluster-swatch', row);
    el('span', 'cluster-id', row).textContent = String(cluster.id);
    el('span', 'cluster-size', row).textContent = cluster.size.toLocaleString();
    const terms = el('span', 'cluster-terms', row);
    terms.textContent = cluster.terms.join(' · ');
    terms.title = cluster.terms.join(', ');
    toggle.addEventListener('click', (e) => e.stopPropagation());
    toggle.addEventListener('change', () => {
      if (toggle.checked) this.hidden.delete(cluster.id);
      else this.hidden.add(cluster.id);
      this.handlers.visibility(this.hidden);
    });
    row.addEventListener('click', () => this.handlers.open(cluster.id));
    row.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        this.handlers.open(cluster.id);
      }
    });
    return row;
  }
}
