// The simulator's event queue: a binary min-heap ordered by (time, insertion order), so ties always break the same way.

/** A queued event: `order` is unique and increasing, so it also names the event. */
export interface QueueEntry<T> {
  readonly time: number;
  readonly order: number;
  readonly item: T;
}

type Entry<T> = QueueEntry<T>;

/** A copy of a queue's contents, to put back later (simulation checkpoints). */
export interface QueueState<T> {
  readonly entries: readonly QueueEntry<T>[];
  readonly nextOrder: number;
}

/** A priority queue of future events. Two events at the same virtual time run in the order they were scheduled. */
export class EventQueue<T> {
  private heap: Entry<T>[] = [];
  private nextOrder = 0;

  get size(): number {
    return this.heap.length;
  }

  /** The `order` the next push will get. */
  get nextId(): number {
    return this.nextOrder;
  }

  /** The entry with this `order`, if it is queued. */
  find(order: number): QueueEntry<T> | undefined {
    for (const e of this.heap) if (e.order === order) return e;
    return undefined;
  }

  /** Queue an item; returns its `order`, which names it. */
  push(time: number, item: T): number {
    const entry: Entry<T> = { time, order: this.nextOrder++, item };
    this.heap.push(entry);
    this.siftUp(this.heap.length - 1);
    return entry.order;
  }

  /** Time of the earliest event, or Infinity when empty. */
  peekTime(): number {
    const top = this.heap[0];
    return top === undefined ? Infinity : top.time;
  }

  /** The earliest item without removing it. */
  peek(): T | undefined {
    return this.heap[0]?.item;
  }

  /** The earliest entry without removing it. */
  peekEntry(): QueueEntry<T> | undefined {
    return this.heap[0];
  }

  pop(): { time: number; item: T } | undefined {
    const top = this.heap[0];
    if (top === undefined) return undefined;
    this.removeAt(0);
    return top;
  }

  /** Remove the entry with this `order`; returns it, or undefined if it is not queued. */
  remove(order: number): QueueEntry<T> | undefined {
    const heap = this.heap;
    for (let i = 0; i < heap.length; i++) {
      const e = heap[i] as Entry<T>;
      if (e.order !== order) continue;
      this.removeAt(i);
      return e;
    }
    return undefined;
  }

  /** Every item, earliest first. */
  sorted(): T[] {
    const heap = this.heap;
    if (heap.length > 32) {
      return heap
        .slice()
        .sort((a, b) => (before(a, b) ? -1 : 1))
        .map((e) => e.item);
    }
    // A short queue (a search lists one at every state): an insertion sort, without the native sort's temporary copies.
    const entries: Entry<T>[] = [];
    for (let i = 0; i < heap.length; i++) {
      const e = heap[i] as Entry<T>;
      let r = i;
      for (; r > 0 && before(e, entries[r - 1] as Entry<T>); r--) entries[r] = entries[r - 1] as Entry<T>;
      entries[r] = e;
    }
    const out: T[] = new Array(entries.length);
    for (let i = 0; i < entries.length; i++) out[i] = (entries[i] as Entry<T>).item;
    return out;
  }

  /** A copy of the contents, keeping only entries that pass `keep`. */
  save(keep?: (item: T) => boolean): QueueState<T> {
    return { entries: keep === undefined ? this.heap.slice() : this.heap.filter((e) => keep(e.item)), nextOrder: this.nextOrder };
  }

  /** Put back what `save` returned (the state stays reusable: it is copied). */
  restore(state: QueueState<T>): void {
    this.heap = state.entries.slice();
    this.nextOrder = state.nextOrder;
    // A filtered save is no longer a heap: rebuild it bottom-up.
    for (let i = (this.heap.length >> 1) - 1; i >= 0; i--) this.siftDown(i);
  }

  private removeAt(index: number): void {
    const heap = this.heap;
    const last = heap.pop() as Entry<T>;
    if (index === heap.length) return;
    heap[index] = last;
    this.siftDown(index);
    this.siftUp(index);
  }

  private siftUp(index: number): void {
    const heap = this.heap;
    const entry = heap[index] as Entry<T>;
    let i = index;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = heap[parent] as Entry<T>;
      if (before(p, entry)) break;
      heap[i] = p;
      i = parent;
    }
    heap[i] = entry;
  }

  private siftDown(index: number): void {
    const heap = this.heap;
    const n = heap.length;
    const entry = heap[index] as Entry<T>;
    let i = index;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      let child = l;
      if (r < n && before(heap[r] as Entry<T>, heap[l] as Entry<T>)) child = r;
      const c = heap[child] as Entry<T>;
      if (before(entry, c)) break;
      heap[i] = c;
      i = child;
    }
    heap[i] = entry;
  }

  /** Every queued item, in no particular order (for inspection, e.g. messages in flight). */
  items(): T[] {
    return this.heap.map((e) => e.item);
  }
}

function before<T>(a: Entry<T>, b: Entry<T>): boolean {
  return a.time < b.time || (a.time === b.time && a.order < b.order);
}
