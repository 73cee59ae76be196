// The visited set: 128-bit state keys in flat typed arrays (open addressing), about 26 bytes a state.

import type { Hash128 } from "@course/sim";

/**
 * A set of 128-bit keys (StateHasher digests), each with a small number (the depth it was first reached at). The
 * top bit of the last word marks an occupied slot, so keys are compared on their other 127 bits.
 */
export class StateSet {
  private w0 = new Uint32Array(1 << 16);
  private w1 = new Uint32Array(1 << 16);
  private w2 = new Uint32Array(1 << 16);
  /** The key's last word, with bit 31 set for an occupied slot. */
  private w3 = new Uint32Array(1 << 16);
  private depth = new Uint16Array(1 << 16);
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** The depth stored with `key`, or undefined when the key is not in the set. */
  get(key: Hash128): number | undefined {
    const [a, b, c] = key;
    const d = (key[3] | 0x80000000) >>> 0;
    const mask = this.w0.length - 1;
    for (let i = a & mask; ; i = (i + 1) & mask) {
      const h = this.w3[i] as number;
      if (h === 0) return undefined;
      if (h === d && this.w0[i] === a && this.w1[i] === b && this.w2[i] === c) return this.depth[i];
    }
  }

  /** Adds `key` (or updates its depth). */
  set(key: Hash128, depth: number): void {
    if ((this.count + 1) * 10 > this.w0.length * 7) this.grow();
    this.put(key[0], key[1], key[2], (key[3] | 0x80000000) >>> 0, Math.min(depth, 0xffff));
  }

  private put(a: number, b: number, c: number, d: number, depth: number): void {
    const mask = this.w0.length - 1;
    for (let i = a & mask; ; i = (i + 1) & mask) {
      const h = this.w3[i] as number;
      if (h === 0) {
        this.w0[i] = a;
        this.w1[i] = b;
        this.w2[i] = c;
        this.w3[i] = d;
        this.depth[i] = depth;
        this.count++;
        return;
      }
      if (h === d && this.w0[i] === a && this.w1[i] === b && this.w2[i] === c) {
        this.depth[i] = depth;
        return;
      }
    }
  }

  private grow(): void {
    const { w0, w1, w2, w3, depth } = this;
    const size = w0.length * 2;
    this.w0 = new Uint32Array(size);
    this.w1 = new Uint32Array(size);
    this.w2 = new Uint32Array(size);
    this.w3 = new Uint32Array(size);
    this.depth = new Uint16Array(size);
    this.count = 0;
    for (let i = 0; i < w0.length; i++) if (w3[i] !== 0) this.put(w0[i] as number, w1[i] as number, w2[i] as number, w3[i] as number, depth[i] as number);
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
