// Exactly-once for Raft: a hook that flags any client command the state machine executed twice (sessions, §8).

import type { NodeId, Violation } from "@course/sim";
import type { LogEntry, RaftNode } from "@course/raft";
import type { RaftHook } from "./raft-invariants.js";

/**
 * A client that retries a command can get it into the log twice; the state machine's sessions must then execute it
 * once. This checker reads the effect rather than trusting the session code: in the workloads it watches, every
 * write is an append of a token ending in ";" that no other command appends (say "c1.7;" for client c1's seventh
 * command), so a command executed twice leaves its token twice in the value. After each event it looks at the
 * entries each server applied since the last look and counts their tokens in that server's store.
 */
export function raftAppliedOnce(): RaftHook {
  /** Per server, which boot it was in (the simulator counts them) and how far its applied entries were read. */
  let seen = new Map<NodeId, { incarnation: number; applied: number }>();
  let lastStep = -1;
  /** Copy on write: after a save or a restore the map is shared with a checkpoint until a record changes. */
  let shared = false;
  const hook: RaftHook = (sim) => {
    if (sim.stepCount < lastStep) {
      seen = new Map();
      shared = false;
    }
    lastStep = sim.stepCount;
    for (const id of sim.nodeIds) {
      const node = sim.node<RaftNode>(id);
      if (node === undefined) continue;
      const before = seen.get(id);
      const incarnation = sim.incarnation(id);
      // A restarted server applies again from its snapshot: each incarnation is judged alone.
      const from = before !== undefined && before.incarnation === incarnation ? before.applied : node.log.snapshotIndex;
      if (node.lastApplied <= from) continue;
      if (shared) {
        seen = new Map(seen);
        shared = false;
      }
      seen.set(id, { incarnation, applied: node.lastApplied });
      const v = twiceApplied(node, from);
      if (v !== undefined) return v;
    }
    return undefined;
  };
  hook.reset = () => {
    seen = new Map();
    shared = false;
    lastStep = -1;
  };
  // Records are replaced, never changed in place, so the map (copied before its next change) is a checkpoint.
  hook.save = () => {
    shared = true;
    return { lastStep, seen };
  };
  hook.restore = (saved) => {
    const m = saved as { lastStep: number; seen: Map<NodeId, { incarnation: number; applied: number }> };
    lastStep = m.lastStep;
    seen = m.seen;
    shared = true;
  };
  return hook;
}

function twiceApplied(node: RaftNode, after: number): Violation | undefined {
  const recent = node.recentlyApplied;
  for (let k = recent.length - 1; k >= 0; k--) {
    const e = recent[k] as LogEntry;
    if (e.index <= after) break;
    const c = e.command;
    if (c.kind !== "client" || c.op.type !== "append" || !c.op.value.endsWith(";")) continue;
    const token = c.op.value.slice(0, -1);
    const value = node.kv.get(c.op.key) ?? "";
    let count = 0;
    for (const part of value.split(";")) if (part === token) count++;
    if (count > 1) {
      return {
        checker: "Applied Once",
        message: `server ${node.id} executed client ${c.client}'s command${c.seq === undefined ? "" : ` ${c.seq}`} (append "${c.op.value}" to ${c.op.key}) ${count} times: ${c.op.key} is "${value}"`,
        details: { node: node.id, client: c.client, seq: c.seq, index: e.index, key: c.op.key, count },
      };
    }
  }
  return undefined;
}
