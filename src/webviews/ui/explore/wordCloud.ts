/**
 * A word cloud on a canvas with wordcloud2.js, in the theme's colours and font. The layout is the
 * same for the same words and canvas size: no shuffling of placement candidates, no rotation
 * (the library's only other randomness).
 */
import WordCloud from 'wordcloud';
import { clusterPalette, readPlotTheme } from './plotTheme';

export interface WordCloudOptions {
  /** The most frequent words drawn (default 150). */
  readonly maxWords?: number;
}

const DEFAULT_MAX_WORDS = 150;
/** Smallest font in CSS pixels: smaller words are unreadable, so the library drops them. */
const MIN_FONT = 9;

/**
 * Draws the words (larger for higher counts) on the canvas, sized to its CSS box at the device's
 * pixel ratio; resolves when the drawing is done, or when a newer cloud on the same canvas
 * replaced it.
 */
export function renderWordCloud(canvas: HTMLCanvasElement, words: ReadonlyArray<{ word: string; count: number }>, options: WordCloudOptions = {}): Promise<void> {
  if (!WordCloud.isSupported) return Promise.reject(new Error('This window cannot draw the word cloud (its canvas lacks text measurement).'));
  const ratio = window.devicePixelRatio || 1;
  const cssWidth = canvas.clientWidth || canvas.width;
  const cssHeight = canvas.clientHeight || canvas.height;
  canvas.width = Math.max(1, Math.round(cssWidth * ratio));
  canvas.height = Math.max(1, Math.round(cssHeight * ratio));
  const list = words
    .filter((w) => w.count > 0 && w.word.length > 0)
    .slice()
    .sort((a, b) => b.count - a.count || (a.word < b.word ? -1 : a.word > b.word ? 1 : 0))
    .slice(0, options.maxWords ?? DEFAULT_MAX_WORDS);
  const maxCount = list.length > 0 ? list[0].count : 1;
  const maxFont = Math.max(MIN_FONT * 2, Math.min(cssWidth, cssHeight) / 6);
  const theme = readPlotTheme();
  const palette = [theme.foreground, ...clusterPalette(5, theme)];
  const rank = new Map(list.map((w, i) => [w.word, i]));

  return new Promise<void>((resolve) => {
    let started = false;
    const finish = (): void => {
      canvas.removeEventListener('wordcloudstop', finish);
      canvas.removeEventListener('wordcloudstart', superseded);
      resolve();
    };
    // the library stops a running cloud without a stop event when another starts on its canvas
    const superseded = (): void => {
      if (started) finish();
    };
    canvas.addEventListener('wordcloudstop', finish);
    canvas.addEventListener('wordcloudstart', superseded);
    WordCloud(canvas, {
      list: list.map((w) => [w.word, w.count]),
      fontFamily: theme.fontFamily,
      fontWeight: '600',
      // area grows with the count: font size with its square root
      weightFactor: (count: number) => (MIN_FONT + (maxFont - MIN_FONT) * Math.sqrt(count / maxCount)) * ratio,
      minSize: MIN_FONT * ratio,
      color: (word: string) => palette[(rank.get(word) ?? 0) % palette.length],
      backgroundColor: 'rgba(0, 0, 0, 0)',
      clearCanvas: true,
      gridSize: Math.round(6 * ratio),
      drawOutOfBound: false,
      shrinkToFit: true,
      shuffle: false,
      rotateRatio: 0,
      wait: 0,
    });
    started = true;
  });
}
