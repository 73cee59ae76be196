// The set of operations linearized so far: a bitset with an incremental hash, stored compactly by the memo table.

/** murmur3's finaliser: spreads an integer over 32 bits. */
export function mix32(x: number): number {
  let h = x | 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * A set of operation indexes. The hash is the XOR of one random-looking key per member (Zobrist hashing), kept up
 * to date on every add and delete. The search linearizes operations roughly in call order, so the members form a
 * solid run from 0 up to `low` plus a short window of scattered ones up to `high`: a stored copy holds only
 * (low, high, the window's words), which keeps memory small on long histories.
 */
export class LinearizedSet {
  readonly words: Uint32Array;
  private readonly keys: Uint32Array;
  hash = 0;
  /** The smallest index not in the set. */
  low = 0;
  /** The largest index in the set, or -1. */
  high = -1;

  constructor(readonly size: number) {
    this.words = new Uint32Array(Math.ceil(size / 32) + 1);
    this.keys = new Uint32Array(size);
    for (let i = 0; i < size; i++) this.keys[i] = mix32(Math.imul(i + 1, 0x9e3779b9));
  }

  has(i: number): boolean {
    return ((this.words[i >>> 5] as number) & (1 << (i & 31))) !== 0;
  }

  add(i: number): void {
    this.words[i >>> 5] = (this.words[i >>> 5] as number) | (1 << (i & 31));
    this.hash = (this.hash ^ (this.keys[i] as number)) >>> 0;
    if (i > this.high) this.high = i;
    if (i === this.low) {
      let l = i + 1;
      while (l < this.size && this.has(l)) l = (l & 31) === 0 && this.words[l >>> 5] === 0xffffffff ? l + 32 : l + 1;
      this.low = Math.min(l, this.size);
    }
  }

  delete(i: number): void {
    this.words[i >>> 5] = (this.words[i >>> 5] as number) & ~(1 << (i & 31));
    this.hash = (this.hash ^ (this.keys[i] as number)) >>> 0;
    if (i < this.low) this.low = i;
    if (i === this.high) {
      let h = i - 1;
      while (h >= 0 && !this.has(h)) h = (h & 31) === 31 && this.words[h >>> 5] === 0 ? h - 32 : h - 1;
      this.high = h;
    }
  }

  /** Words a stored copy needs: low, high + 1, then the window. */
  storedSize(): number {
    return 2 + (this.high < this.low ? 0 : (this.high >>> 5) - (this.low >>> 5) + 1);
  }

  store(pool: Uint32Array, at: number): void {
    pool[at] = this.low;
    pool[at + 1] = this.high + 1;
    if (this.high >= this.low) pool.set(this.words.subarray(this.low >>> 5, (this.high >>> 5) + 1), at + 2);
  }

  equalsStored(pool: Uint32Array, at: number): boolean {
    if (pool[at] !== this.low || pool[at + 1] !== this.high + 1) return false;
    const size = this.storedSize();
    const from = (this.low >>> 5) - 2 - at;
    for (let k = at + 2; k < at + size; k++) if (pool[k] !== this.words[from + k]) return false;
    return true;
  }
}
