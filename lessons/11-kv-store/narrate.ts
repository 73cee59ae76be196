// Narration for the key-value lesson: Raft's own lines, with client requests and answers told per client.

import type { TraceEvent } from "@course/sim";
import { raftDescriber, serverName, type ClientResult } from "@course/raft";
import { formatOp, type KvOp } from "./client.js";

/**
 * A fresh describer. It remembers each operation's attempts: a second attempt after "not the leader" is the
 * client going where it was sent; one after silence (or "lost-leadership") is a retry of a command that may
 * already have taken effect, which is what sessions are for.
 */
export function kvDescriber(): (event: TraceEvent) => string | undefined {
  const raft = raftDescriber();
  let refused = new Map<string, boolean>();
  let attemptOf = new Map<number, string>();
  let lastSeq = -1;
  return (event) => {
    if (event.seq <= lastSeq) {
      refused = new Map();
      attemptOf = new Map();
    }
    lastSeq = event.seq;
    if (event.kind === "client-request") {
      const op = event.request.op as KvOp & { seq?: number };
      const client = event.request.client;
      const session = op.seq === undefined ? "" : ` (command #${op.seq})`;
      const key = `${client}:${JSON.stringify(op)}`;
      const before = refused.get(key);
      refused.set(key, false);
      attemptOf.set(event.request.id, key);
      const verb = before === undefined ? "asks" : before ? "tries" : "retries";
      return `Client ${client} ${verb} ${serverName(event.node)}: ${formatOp(op)}${session}`;
    }
    if (event.kind === "client-reply") {
      const r = event.result as ClientResult;
      const key = attemptOf.get(event.requestId);
      if (key !== undefined && !r.ok && r.error !== "lost-leadership") refused.set(key, true);
      // Answered: the next operation that looks the same (another get of the key) is a new one.
      if (key !== undefined && r.ok) refused.delete(key);
      const who = `${serverName(event.node)} answers client ${event.client}`;
      if (r.ok) return `${who}: ok${r.index === undefined ? "" : ` (log index ${r.index})`}${r.value === undefined ? "" : `, value ${r.value === null ? "(absent)" : `'${r.value}'`}`}`;
      if (r.error === "not-leader") return `${who}: not the leader${r.leaderHint != null && r.leaderHint !== event.node ? `, try ${serverName(r.leaderHint)}` : ""}`;
      return `${who}: ${r.error}`;
    }
    return raft(event);
  };
}
