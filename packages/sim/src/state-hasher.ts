// A 128-bit streaming hash of numbers and strings, for an exhaustive search's visited set: state fields hashed without building text.

/** The four 32-bit words of a finished hash. */
export type Hash128 = readonly [number, number, number, number];

const M1 = 0xcc9e2d51;
const M2 = 0x1b873593;
const M3 = 0x38b34ae5;
const M4 = 0xa1e38b93;

/** `num` writes integers in [-SMALL, SMALL) as themselves. */
const SMALL = 0x40000000;

const rotl = (x: number, r: number) => (x << r) | (x >>> (32 - r));

/** murmur3's finalizer: spreads every input bit over the output. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * Four lanes, each a murmur3-style hash of the same stream of 32-bit words with its own multipliers and seed,
 * finished like murmur3's 128-bit variant (each lane mixed into the others). Callers feed values so that the
 * stream is unambiguous (a string's length before its characters, a list's count before its items, a tag where a
 * field may be absent), so two different values never give the same stream of words; two streams then share a
 * hash only by accident, with a chance near 2^-128 per pair (well over the 106 bits that keep a search of a
 * billion states clear of collisions: 10^18 pairs against 2^106 ≈ 10^32). The lanes are not a cryptographic hash:
 * they need only resist the accidents of unrelated states, not an adversary.
 */
export class StateHasher {
  private a = 0;
  private b = 0;
  private c = 0;
  private d = 0;
  private n = 0;

  /** Starts a new hash. */
  reset(): this {
    this.a = 0x9747b28c;
    this.b = 0x5bd1e995;
    this.c = 0x27d4eb2f;
    this.d = 0x165667b1;
    this.n = 0;
    return this;
  }

  /** One 32-bit word (numbers are cut to their low 32 bits: use `num` for any number). */
  word(x: number): this {
    this.n++;
    let k = Math.imul(rotl(Math.imul(x, M1), 15), M2);
    this.a = (Math.imul(rotl(this.a ^ k, 13), 5) + 0xe6546b64) | 0;
    k = Math.imul(rotl(Math.imul(x, M2), 16), M3);
    this.b = (Math.imul(rotl(this.b ^ k, 17), 5) + 0x0bcaa747) | 0;
    k = Math.imul(rotl(Math.imul(x, M3), 17), M4);
    this.c = (Math.imul(rotl(this.c ^ k, 15), 5) + 0x96cd1c35) | 0;
    k = Math.imul(rotl(Math.imul(x, M4), 18), M1);
    this.d = (Math.imul(rotl(this.d ^ k, 19), 5) + 0x32ac3b17) | 0;
    return this;
  }

  /**
   * Any number: an integer of less than 30 bits as one word (most numbers of a state: terms, indices, ids), anything
   * else (large, fractional, NaN, -0) as a word no such integer gives, then its text.
   */
  num(x: number): this {
    if (x >= -SMALL && x < SMALL && (x | 0) === x && !Object.is(x, -0)) return this.word(x);
    return this.word(SMALL).str(String(x));
  }

  /** A string: its length, then its UTF-16 code units two to a word. */
  str(s: string): this {
    const len = s.length;
    this.word(len);
    let i = 0;
    for (; i + 1 < len; i += 2) this.word(s.charCodeAt(i) | (s.charCodeAt(i + 1) << 16));
    if (i < len) this.word(s.charCodeAt(i));
    return this;
  }

  /** A boolean as one word. */
  bool(x: boolean): this {
    return this.word(x ? 1 : 0);
  }

  /** A finished hash (of a part: a node, a message), fed into this one as its four words. */
  hash(h: Hash128): this {
    return this.word(h[0]).word(h[1]).word(h[2]).word(h[3]);
  }

  /** The hash of everything fed since `reset`. */
  digest(): Hash128 {
    this.finish();
    return [this.a >>> 0, this.b >>> 0, this.c >>> 0, this.d >>> 0];
  }

  /** Adds the hash of everything fed since `reset` to `sum`, word by word (a multiset of hashes, without an array for each). */
  addTo(sum: number[]): void {
    this.finish();
    sum[0] = ((sum[0] as number) + this.a) | 0;
    sum[1] = ((sum[1] as number) + this.b) | 0;
    sum[2] = ((sum[2] as number) + this.c) | 0;
    sum[3] = ((sum[3] as number) + this.d) | 0;
  }

  private finish(): void {
    let { a, b, c, d } = this;
    const n = this.n;
    a ^= n;
    b ^= n;
    c ^= n;
    d ^= n;
    a = (a + b + c + d) | 0;
    b = (b + a) | 0;
    c = (c + a) | 0;
    d = (d + a) | 0;
    a = fmix32(a);
    b = fmix32(b);
    c = fmix32(c);
    d = fmix32(d);
    a = (a + b + c + d) | 0;
    this.a = a;
    this.b = (b + a) | 0;
    this.c = (c + a) | 0;
    this.d = (d + a) | 0;
  }
}
