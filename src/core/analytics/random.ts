/** A seeded pseudo-random generator: the same seed gives the same stream on every platform. */
export interface Random {
  /** A uniform number in [0, 1). */
  next(): number;
  /** A standard normal number (Box-Muller). */
  gaussian(): number;
  /** A uniform integer in [0, n). */
  int(n: number): number;
}

/** Mulberry32: 32-bit state, fast and good enough for initialisation and sampling (not for secrets). */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  let spare: number | undefined;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    gaussian(): number {
      if (spare !== undefined) {
        const value = spare;
        spare = undefined;
        return value;
      }
      // 1 - next() is in (0, 1], so the logarithm is finite.
      const r = Math.sqrt(-2 * Math.log(1 - next()));
      const theta = 2 * Math.PI * next();
      spare = r * Math.sin(theta);
      return r * Math.cos(theta);
    },
    int: (n: number): number => Math.floor(next() * n),
  };
}
