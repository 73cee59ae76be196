// Reads etcd's own log (zap JSON lines) for what the status API cannot show: a leader handing over before it stops.

export interface Handoff {
  /** The member id, as the status API writes it (decimal). */
  readonly toMemberId: string;
  /** etcd's own measure of the transfer, e.g. "101.5ms". */
  readonly took: string | undefined;
}

/**
 * etcd logs "leadership transfer finished" (etcdserver/server.go) when a leader that is asked to stop cleanly has
 * handed leadership to another member; the log writes member ids in hexadecimal.
 */
export function handoffIn(log: string): Handoff | undefined {
  let found: Handoff | undefined;
  for (const line of log.split("\n")) {
    if (!line.includes("leadership transfer finished")) continue;
    try {
      const entry = JSON.parse(line) as { "new-leader-member-id"?: string; took?: string };
      const hex = entry["new-leader-member-id"];
      if (hex && /^[0-9a-f]+$/i.test(hex)) found = { toMemberId: BigInt(`0x${hex}`).toString(10), took: entry.took };
    } catch {
      // not a JSON line (a panic trace, a line from an older run); skip it
    }
  }
  return found;
}
