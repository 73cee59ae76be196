// The simulator's event queue: a binary min-heap ordered by (time, insertion order), so ties always break the same way.

interface Entry<T> {
  time: number;
  order: number;
  item: T;
}

/** A priority queue of future events. Two events at the same virtual time run in the order they were scheduled. */
export class EventQueue<T> {
  private heap: Entry<T>[] = [];
  private nextOrder = 0;

  get size(): number {
    return this.heap.length;
  }

  push(time: number, item: T): void {
    const entry: Entry<T> = { time, order: this.nextOrder++, item };
    const heap = this.heap;
    heap.push(entry);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = heap[parent] as Entry<T>;
      if (before(p, entry)) break;
      heap[i] = p;
      i = parent;
    }
    heap[i] = entry;
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

  pop(): { time: number; item: T } | undefined {
    const heap = this.heap;
    const top = heap[0];
    if (top === undefined) return undefined;
    const last = heap.pop() as Entry<T>;
    if (heap.length > 0) {
      let i = 0;
      const n = heap.length;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        let child = l;
        if (r < n && before(heap[r] as Entry<T>, heap[l] as Entry<T>)) child = r;
        const c = heap[child] as Entry<T>;
        if (before(last, c)) break;
        heap[i] = c;
        i = child;
      }
      heap[i] = last;
    }
    return top;
  }

  /** Every queued item, in no particular order (for inspection, e.g. messages in flight). */
  items(): T[] {
    return this.heap.map((e) => e.item);
  }
}

function before<T>(a: Entry<T>, b: Entry<T>): boolean {
  return a.time < b.time || (a.time === b.time && a.order < b.order);
}
