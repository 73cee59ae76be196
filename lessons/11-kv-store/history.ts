// The clients' history, as they meant it, handed to the linearizability checker; the verdict in words.

import type { Simulation } from "@course/sim";
import { checkLinearizable, kvHistory, type KvOperation } from "@course/check";
import type { RaftMessage } from "@course/raft";
import type { KvCall } from "./client.js";

export interface HistoryVerdict {
  readonly ok: boolean;
  readonly operations: readonly KvOperation[];
  /** The key with no valid order, when there is one. */
  readonly key?: string;
  readonly text: string;
}

/**
 * Every attempt of one client call is one logical operation, whether or not the client sent a session number:
 * a client that retried one append meant one append. The checker is told so by tagging every attempt with the
 * call it belongs to, so a retry that the servers executed twice shows up as an append that happened twice.
 */
export function checkHistory(sim: Simulation<RaftMessage>, calls: readonly KvCall[]): HistoryVerdict {
  const callOf = new Map<number, number>();
  calls.forEach((call, i) => call.requestIds.forEach((id) => callOf.set(id, i)));
  const records = sim.requests.map((r) => {
    const i = callOf.get(r.request.id);
    const op = r.request.op;
    if (i === undefined || typeof op !== "object" || op === null) return r;
    return { ...r, request: { ...r.request, op: { ...op, seq: i } } };
  });
  const operations = kvHistory(records);
  const verdict = checkLinearizable(operations);
  const keys = new Set(operations.map((o) => o.key)).size;
  if (verdict.ok) return { ok: true, operations, text: `linearizable (${operations.length} operations on ${keys} key${keys === 1 ? "" : "s"})` };
  const key = verdict.key as string;
  return { ok: false, operations, key, text: `NOT linearizable: no order of the ${verdict.operations?.length ?? 0} operations on '${key}' explains what the clients saw` };
}
