// The lesson's numbers over many seeds: the median and range of each measurement, so no claim rests on one run.

/** Seeds 1 to SEEDS: every distribution the lesson prints or quotes is measured over these runs. */
export const SEEDS = 100;

export interface Spread {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  /** How many runs the spread summarizes. */
  readonly runs: number;
}

/** The median (the mean of the two middle values for an even count), the smallest and the largest. */
export function spread(values: readonly number[]): Spread {
  if (values.length === 0) throw new Error("spread of no values");
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
  return { median, min: sorted[0] as number, max: sorted[sorted.length - 1] as number, runs: sorted.length };
}

/** One decimal place at most, without a trailing ".0". */
export function decimal(x: number): string {
  const rounded = Math.round(x * 10) / 10;
  return Number.isInteger(rounded) ? `${rounded}` : rounded.toFixed(1);
}

/**
 * "a median of 9.2 messages (8 to 9.6)", or "40 messages on every seed" when every run agrees. `unit` follows the
 * number ("ms", "messages"); `digits` writes a number ("63%").
 */
export function formatSpread(s: Spread, unit = "", digits: (x: number) => string = decimal): string {
  const u = unit === "" ? "" : ` ${unit}`;
  if (s.min === s.max) return `${digits(s.min)}${u} on every seed`;
  return `a median of ${digits(s.median)}${u} (${digits(s.min)} to ${digits(s.max)})`;
}

const measured = new Map<string, unknown[]>();

/**
 * Runs `measure` on seeds 1 to `count` once per process and keeps the results under `key`: every scenario that
 * quotes a distribution shares the same runs, and a second look costs nothing.
 */
export function overSeeds<T>(key: string, measure: (seed: number) => T, count: number = SEEDS): readonly T[] {
  const id = `${key}/${count}`;
  let runs = measured.get(id) as T[] | undefined;
  if (runs === undefined) {
    runs = Array.from({ length: count }, (_, i) => measure(i + 1));
    measured.set(id, runs);
  }
  return runs;
}
