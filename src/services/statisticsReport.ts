import type { CaptionStatistics, RankedTerm } from '../core/edits/captionStatistics';

const BAR_WIDTH = 40;

/** The statistics as a Markdown page: counts, a length histogram, CLIP-token overflow, top tags and words. */
export function statisticsMarkdown(stats: CaptionStatistics, scopeLabel: string): string {
  const n = (v: number): string => v.toLocaleString('en-US');
  const lines = [
    `# Caption statistics: ${escape(scopeLabel)}`,
    '',
    '| | |',
    '|---|---|',
    `| Images | ${n(stats.images)} |`,
    `| Captioned | ${n(stats.captioned)} |`,
    `| Empty caption files | ${n(stats.empty)} |`,
    `| No caption file | ${n(stats.missing)} |`,
    `| Over CLIP's 75 tokens (estimated) | ${n(stats.overClipLimit)} |`,
  ];
  if (stats.words) lines.push(`| Words per caption (min / median / max) | ${stats.words.min} / ${stats.words.median} / ${stats.words.max} |`);
  const peak = Math.max(1, ...stats.lengthHistogram.map((b) => b.count));
  lines.push('', '## Caption length (characters)', '', '```text');
  for (const bucket of stats.lengthHistogram) {
    const range = bucket.to === undefined ? `${bucket.from}+` : `${bucket.from}-${bucket.to - 1}`;
    lines.push(`${range.padStart(8)} ${'█'.repeat(Math.round((bucket.count / peak) * BAR_WIDTH)).padEnd(BAR_WIDTH)} ${n(bucket.count)}`);
  }
  lines.push('```');
  table(lines, 'Most frequent tags', 'Tag', stats.topTags);
  table(lines, 'Most frequent words', 'Word', stats.topWords);
  return `${lines.join('\n')}\n`;
}

function table(lines: string[], title: string, column: string, terms: readonly RankedTerm[]): void {
  if (terms.length === 0) return;
  lines.push('', `## ${title}`, '', `| ${column} | Count |`, '|---|---|');
  for (const t of terms) lines.push(`| ${escape(t.term)} | ${t.count.toLocaleString('en-US')} |`);
}

/** Caption words are data: they must not become Markdown (links, HTML, table breaks). */
function escape(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~]/g, (c) => `\\${c}`);
}
