// The clients' history, as they meant it, handed to the linearizability checker; the verdict in words.

import type { Simulation } from "@course/sim";
import { checkLinearizable, describeOperation, kvHistoryFromRequests, kvModel, type CheckResult, type KvInput, type KvOutput, type Operation } from "@course/check";
import type { RaftMessage } from "@course/raft";
import type { KvCall } from "./client.js";

/** A deterministic bound on the search (states visited), so the lesson gives the same verdict on every machine. */
const MAX_EXPLORED = 2_000_000;

export interface HistoryVerdict {
  readonly ok: boolean;
  readonly operations: readonly Operation<KvInput, KvOutput>[];
  /** Names of the client numbers in `operations`. */
  readonly clients: readonly string[];
  readonly result: CheckResult<KvInput, KvOutput>;
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
  const { operations, clients } = kvHistoryFromRequests(records);
  const result = checkLinearizable(kvModel, operations, { maxExplored: MAX_EXPLORED });
  const keys = new Set(operations.map((o) => o.input.key)).size;
  const base = { operations, clients, result };
  if (result.verdict === "ok") return { ...base, ok: true, text: `linearizable (${operations.length} operations on ${keys} key${keys === 1 ? "" : "s"})` };
  if (result.verdict === "unknown") return { ...base, ok: false, text: `undecided: the checker stopped after ${MAX_EXPLORED} search states` };
  const bad = result.illegalOperations ?? [];
  const key = bad[0]?.input.key ?? "?";
  const stuck = bad.find((o) => o.id === result.explanation?.unplaceable[0]);
  const why = stuck ? `; after the longest valid order (${result.explanation?.longestPrefix.length} of them), ${describeOperation(kvModel, stuck)} cannot come next` : "";
  return { ...base, ok: false, key, text: `NOT linearizable: no order of the ${bad.length} operations on '${key}' explains what the clients saw${why}` };
}
