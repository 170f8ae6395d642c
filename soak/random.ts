/** A small seeded PRNG (mulberry32): the same seed gives the same event, run after run. */
export type Random = () => number;

export function seeded(seed: number): Random {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

export const between = (random: Random, min: number, max: number): number => min + random() * (max - min);
export const intBetween = (random: Random, min: number, max: number): number =>
  Math.floor(between(random, min, max + 1));
