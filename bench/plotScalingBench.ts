/**
 * `plot-scaling`: the Explore panel's scatter plot (its real code, plotly.js scattergl) in
 * headless Chromium under the webview CSP. The time to a first interactive plot (constructing
 * ScatterPlot, setData resolved, one animation frame) for 100,000 points in 10 clusters ÷ the same
 * for 10,000, medians of several alternating runs after a warm-up (shader compilation, JIT).
 * WebGL runs on SwiftShader (the CPU), as in a VS Code without a GPU.
 */
import { openPlotPage } from '../test/fixtures/explorePlotPage';
import { Benchmark, formatMs, median, note } from './measure';

const RUNS = 7;
const SMALL = 10_000;
const LARGE = 100_000;
const CLUSTERS = 10;

export const plotScalingBench: Benchmark = {
  name: 'plot-scaling',
  async run() {
    const plot = await openPlotPage({ width: 1000, height: 700 });
    try {
      await plot.call<number>('plotPoints', SMALL, CLUSTERS);
      const small: number[] = [];
      const large: number[] = [];
      for (let run = 0; run < RUNS; run++) {
        small.push(await plot.call<number>('plotPoints', SMALL, CLUSTERS));
        large.push(await plot.call<number>('plotPoints', LARGE, CLUSTERS));
      }
      if (plot.violations.length > 0) throw new Error(`the page broke its CSP: ${plot.violations.join('; ')}`);
      if (plot.errors.length > 0) throw new Error(`the page failed: ${plot.errors.join('; ')}`);
      const list = (times: number[]): string => times.map((t) => t.toFixed(0)).join(', ');
      note(`first interactive plot, ${SMALL.toLocaleString('en')} points: median ${formatMs(median(small))} (${list(small)} ms)`);
      note(`first interactive plot, ${LARGE.toLocaleString('en')} points: median ${formatMs(median(large))} (${list(large)} ms)`);
      return { figure: median(large) / median(small), unit: 'x', target: 4 };
    } finally {
      await plot.close();
    }
  },
};
