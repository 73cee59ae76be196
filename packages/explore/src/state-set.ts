// The visited set: 53-bit state keys in flat typed arrays (open addressing), about 10 bytes a state.

/** A set of 53-bit keys, each with a small number (the depth it was first reached at). */
export class StateSet {
  private lo = new Uint32Array(1 << 16);
  /** The key's top 21 bits, plus bit 31 set for an occupied slot. */
  private hi = new Uint32Array(1 << 16);
  private depth = new Uint16Array(1 << 16);
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** The depth stored with `key`, or undefined when the key is not in the set. */
  get(key: number): number | undefined {
    const lo = key >>> 0;
    const hi = (Math.floor(key / 0x100000000) | 0x80000000) >>> 0;
    const mask = this.lo.length - 1;
    for (let i = lo & mask; ; i = (i + 1) & mask) {
      const h = this.hi[i] as number;
      if (h === 0) return undefined;
      if (h === hi && this.lo[i] === lo) return this.depth[i];
    }
  }

  /** Adds `key` (or updates its depth). */
  set(key: number, depth: number): void {
    if ((this.count + 1) * 10 > this.lo.length * 7) this.grow();
    this.put(key >>> 0, (Math.floor(key / 0x100000000) | 0x80000000) >>> 0, Math.min(depth, 0xffff));
  }

  private put(lo: number, hi: number, depth: number): void {
    const mask = this.lo.length - 1;
    for (let i = lo & mask; ; i = (i + 1) & mask) {
      const h = this.hi[i] as number;
      if (h === 0) {
        this.lo[i] = lo;
        this.hi[i] = hi;
        this.depth[i] = depth;
        this.count++;
        return;
      }
      if (h === hi && this.lo[i] === lo) {
        this.depth[i] = depth;
        return;
      }
    }
  }

  private grow(): void {
    const { lo, hi, depth } = this;
    this.lo = new Uint32Array(lo.length * 2);
    this.hi = new Uint32Array(lo.length * 2);
    this.depth = new Uint16Array(lo.length * 2);
    this.count = 0;
    for (let i = 0; i < lo.length; i++) if (hi[i] !== 0) this.put(lo[i] as number, hi[i] as number, depth[i] as number);
  }
}

/** Where each discovered state came from: its parent and which of the parent's moves led to it, in typed arrays. */
export class PathTable {
  private parent = new Int32Array(1 << 16);
  private move = new Uint16Array(1 << 16);
  private count = 0;

  add(parent: number, move: number): number {
    if (this.count === this.parent.length) {
      const p = new Int32Array(this.parent.length * 2);
      p.set(this.parent);
      this.parent = p;
      const m = new Uint16Array(this.move.length * 2);
      m.set(this.move);
      this.move = m;
    }
    this.parent[this.count] = parent;
    this.move[this.count] = move;
    return this.count++;
  }

  /** The move indices from the start (the root, id 0) to state `id`. */
  moves(id: number): number[] {
    const out: number[] = [];
    for (let k = id; k > 0; k = this.parent[k] as number) out.push(this.move[k] as number);
    return out.reverse();
  }
}
