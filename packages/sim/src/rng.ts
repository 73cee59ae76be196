// Seeded pseudo-random numbers: xoshiro128** seeded through splitmix32, with named forks.

/** splitmix32: spreads one 32-bit seed into well-mixed state words. */
function splitmix32(state: number): [number, number] {
  const next = (state + 0x9e3779b9) | 0;
  let z = next;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  z ^= z >>> 16;
  return [next, z >>> 0];
}

/** FNV-1a over a string, so a fork label becomes a 32-bit number. */
function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * A deterministic random number generator (xoshiro128**, Blackman and Vigna).
 * The simulator hands one to every node and keeps separate forks for the network and the nemesis,
 * so changing how often a node draws numbers does not shift the network's latencies.
 */
export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  readonly seed: number;

  constructor(seed: number) {
    if (!Number.isInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
    this.seed = seed;
    let st = seed | 0;
    let w: number;
    [st, w] = splitmix32(st); this.s0 = w;
    [st, w] = splitmix32(st); this.s1 = w;
    [st, w] = splitmix32(st); this.s2 = w;
    [st, w] = splitmix32(st); this.s3 = w;
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** The next 32-bit unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** A float in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** An integer in [min, max], both ends included. */
  int(min: number, max: number): number {
    if (!Number.isFinite(min) || !Number.isFinite(max) || max < min) {
      throw new RangeError(`int(min, max) needs finite min <= max, got (${min}, ${max})`);
    }
    const lo = Math.ceil(min);
    const hi = Math.floor(max);
    if (hi < lo) throw new RangeError(`int(min, max): no integer lies between ${min} and ${max}`);
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  /** A float in [min, max). */
  uniform(min: number, max: number): number {
    return min + this.next() * (max - min);
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return p > 0 && this.next() < p;
  }

  /** An exponentially distributed value with the given mean. */
  exponential(mean: number): number {
    return -mean * Math.log(1 - this.next());
  }

  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError("pick() from an empty array");
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** A shuffled copy (Fisher-Yates). */
  shuffle<T>(items: readonly T[]): T[] {
    const out = items.slice();
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [out[i], out[j]] = [out[j] as T, out[i] as T];
    }
    return out;
  }

  /** The generator's position, to resume from later (simulation checkpoints). */
  save(): RngState {
    return [this.s0, this.s1, this.s2, this.s3];
  }

  /** Go back to a position `save` returned: the numbers drawn next are the ones drawn after that save. */
  restore(state: RngState): void {
    [this.s0, this.s1, this.s2, this.s3] = state;
  }

  /** An independent generator derived from this one's seed and a label; drawing from it leaves this one untouched. */
  fork(label: string): Rng {
    return new Rng((Math.imul(this.seed | 0, 0x9e3779b1) ^ hashString(label)) | 0);
  }
}

/** The four state words of xoshiro128**. */
export type RngState = readonly [number, number, number, number];

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
