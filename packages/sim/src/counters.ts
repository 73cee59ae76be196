// Message counters by type: sent, delivered, dropped, duplicated and bytes on the wire.

export interface TypeCount {
  sent: number;
  delivered: number;
  dropped: number;
  duplicated: number;
  /** JSON bytes sent (counted when the simulator serialises messages: recording or isolation on). */
  bytes: number;
}

export class MessageCounters {
  readonly byType = new Map<string, TypeCount>();

  private entry(type: string): TypeCount {
    let c = this.byType.get(type);
    if (!c) {
      c = { sent: 0, delivered: 0, dropped: 0, duplicated: 0, bytes: 0 };
      this.byType.set(type, c);
    }
    return c;
  }

  sent(type: string, bytes: number): void {
    const c = this.entry(type);
    c.sent++;
    c.bytes += bytes;
  }
  delivered(type: string): void {
    this.entry(type).delivered++;
  }
  dropped(type: string): void {
    this.entry(type).dropped++;
  }
  duplicated(type: string): void {
    this.entry(type).duplicated++;
  }

  /** An independent copy (simulation checkpoints). */
  clone(): MessageCounters {
    const copy = new MessageCounters();
    for (const [type, c] of this.byType) copy.byType.set(type, { ...c });
    return copy;
  }

  /** Totals over every type. */
  total(): TypeCount {
    const t: TypeCount = { sent: 0, delivered: 0, dropped: 0, duplicated: 0, bytes: 0 };
    for (const c of this.byType.values()) {
      t.sent += c.sent;
      t.delivered += c.delivered;
      t.dropped += c.dropped;
      t.duplicated += c.duplicated;
      t.bytes += c.bytes;
    }
    return t;
  }

  /** A plain object, sorted by type name, for JSON and tables. */
  toJSON(): Record<string, TypeCount> {
    return Object.fromEntries([...this.byType.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, { ...v }]));
  }
}
