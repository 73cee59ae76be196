// Splits a range of seeds (or any numbered work) into n disjoint, contiguous shards, so a stress search can spread over machines.

/** Shard `index` of `count`, counted from 1 as people say it: "3/8". */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

/** Consecutive whole numbers first, first + 1, ..., first + count - 1. */
export interface NumberRange {
  readonly first: number;
  readonly count: number;
}

/** Reads "i/n" (1 <= i <= n); anything else is an error that says what was expected. */
export function parseShard(text: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (m === null) throw new Error(`a shard is written i/n, for example 3/8 (the third of eight), got "${text}"`);
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1 || index < 1 || index > count) throw new Error(`shard ${index}/${count} does not exist: i must be between 1 and n`);
  return { index, count };
}

/**
 * The shard's piece of `range`: the n pieces are contiguous, disjoint, cover the range exactly once, and differ
 * in size by at most one (the first `count % n` pieces take one extra number).
 */
export function shardOf(range: NumberRange, shard: Shard): NumberRange {
  const base = Math.floor(range.count / shard.count);
  const extra = range.count % shard.count;
  const k = shard.index - 1;
  return { first: range.first + k * base + Math.min(k, extra), count: base + (k < extra ? 1 : 0) };
}

/** The numbers of a range, in order. */
export function rangeValues(range: NumberRange): number[] {
  return Array.from({ length: range.count }, (_, k) => range.first + k);
}

/** "seeds 25,001..37,500 (12,500) of 1..100,000": what a shard covers, for logs and reports. */
export function describeRange(part: NumberRange, whole: NumberRange = part): string {
  const n = (x: number) => x.toLocaleString("en-US");
  const span = (r: NumberRange) => (r.count === 0 ? "none" : `${n(r.first)}..${n(r.first + r.count - 1)}`);
  return part === whole || (part.first === whole.first && part.count === whole.count) ? `seeds ${span(part)} (${n(part.count)})` : `seeds ${span(part)} (${n(part.count)}) of ${span(whole)}`;
}
