/** Timing, statistics and the one-line report format shared by the benchmarks. */

export interface BenchResult {
  /** The figure, already in its unit (a ratio or megabytes). */
  readonly figure: number;
  /** Printed right after the figure, e.g. `x find` or ` MB`. */
  readonly unit: string;
  readonly target: number;
  /** Which side of the target passes (default '<='). */
  readonly op?: '<=' | '>=';
  /** Names a further figure of the same run (e.g. `host-lag-engine`); the benchmark's own name otherwise. */
  readonly name?: string;
}

export interface Benchmark {
  readonly name: string;
  /** One figure, or several measured in one run. */
  run(datasets: import('./syntheticDataset').SyntheticDatasets): Promise<BenchResult | readonly BenchResult[]>;
}

/** Whether the figure is on the passing side of its target (a NaN figure never is). */
export function meetsTarget(result: BenchResult): boolean {
  return (result.op ?? '<=') === '<=' ? result.figure <= result.target : result.figure >= result.target;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Milliseconds `work` takes, measured with the monotonic clock. */
export async function timeMs(work: () => Promise<unknown> | unknown): Promise<number> {
  const start = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** A diagnostic line: indented so that only result lines start with `bench `. */
export function note(text: string): void {
  console.log(`  ${text}`);
}

export function resultLine(name: string, result: BenchResult): string {
  return `bench ${name}: ${formatFigure(result)} (target ${result.op ?? '<='} ${result.target})`;
}

/** The figure with its unit, as the result line prints it. */
export function formatFigure(result: BenchResult): string {
  const figure = result.figure >= 10 ? result.figure.toFixed(1) : result.figure.toFixed(2);
  return `${figure}${result.unit}`;
}

export function formatMs(ms: number): string {
  return ms >= 100 ? `${ms.toFixed(0)} ms` : `${ms.toFixed(2)} ms`;
}
