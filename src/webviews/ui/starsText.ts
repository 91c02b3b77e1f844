/** The stars a card shows for a rating (DOM-free, unit-tested). */

/** ★ for each of `stars` (0-5); '' when unrated. */
export function starsText(stars: number): string {
  return stars > 0 ? '★'.repeat(Math.min(5, stars)) : '';
}
