/** The caption statistics as a page: Markdown for the extension's report, plain text for the terminal. */
import type { CaptionStatistics, RankedTerm } from './captionStatistics';

const BAR_WIDTH = 40;

/** The statistics as a Markdown page: counts, a length histogram, CLIP-token overflow, top tags and words. */
export function statisticsMarkdown(stats: CaptionStatistics, scopeLabel: string): string {
  const lines = [`# Caption statistics: ${escape(scopeLabel)}`, '', '| | |', '|---|---|', ...summaryRows(stats).map(([label, value]) => `| ${label} | ${value} |`)];
  lines.push('', '## Caption length (characters)', '', '```text', ...histogramLines(stats), '```');
  table(lines, 'Most frequent tags', 'Tag', stats.topTags);
  table(lines, 'Most frequent words', 'Word', stats.topWords);
  return `${lines.join('\n')}\n`;
}

/**
 * The same page as plain text for a terminal: `safe` makes dataset text printable (no control
 * sequences), since a tag is data and must not drive the terminal.
 */
export function statisticsText(stats: CaptionStatistics, scopeLabel: string, safe: (text: string) => string): string {
  const rows = summaryRows(stats);
  const width = Math.max(...rows.map(([label]) => label.length));
  const lines = [`Caption statistics: ${safe(scopeLabel)}`, '', ...rows.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`)];
  lines.push('', 'Caption length (characters)', ...histogramLines(stats));
  for (const [title, terms] of [['Most frequent tags', stats.topTags], ['Most frequent words', stats.topWords]] as const) {
    if (terms.length === 0) continue;
    const counts = terms.map((t) => count(t.count));
    const countWidth = Math.max(...counts.map((c) => c.length));
    lines.push('', title, ...terms.map((t, i) => `  ${counts[i].padStart(countWidth)}  ${safe(t.term)}`));
  }
  return `${lines.join('\n')}\n`;
}

/** The figures both pages open with, as label and value. */
function summaryRows(stats: CaptionStatistics): Array<[string, string]> {
  const rows: Array<[string, string]> = [
    ['Images', count(stats.images)],
    ['Captioned', count(stats.captioned)],
    ['Empty caption files', count(stats.empty)],
    ['No caption file', count(stats.missing)],
    ["Over CLIP's 75 tokens (estimated)", count(stats.overClipLimit)],
  ];
  if (stats.words) rows.push(['Words per caption (min / median / max)', `${stats.words.min} / ${stats.words.median} / ${stats.words.max}`]);
  return rows;
}

/** One bar per length bucket, scaled to the fullest. */
function histogramLines(stats: CaptionStatistics): string[] {
  const peak = Math.max(1, ...stats.lengthHistogram.map((b) => b.count));
  return stats.lengthHistogram.map((bucket) => {
    const range = bucket.to === undefined ? `${bucket.from}+` : `${bucket.from}-${bucket.to - 1}`;
    return `${range.padStart(8)} ${'█'.repeat(Math.round((bucket.count / peak) * BAR_WIDTH)).padEnd(BAR_WIDTH)} ${count(bucket.count)}`;
  });
}

function count(value: number): string {
  return value.toLocaleString('en-US');
}

function table(lines: string[], title: string, column: string, terms: readonly RankedTerm[]): void {
  if (terms.length === 0) return;
  lines.push('', `## ${title}`, '', `| ${column} | Count |`, '|---|---|');
  for (const t of terms) lines.push(`| ${escape(t.term)} | ${count(t.count)} |`);
}

/** Caption words are data: they must not become Markdown (links, HTML, table breaks). */
function escape(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~]/g, (c) => `\\${c}`);
}
