// The exactly-once checker: quiet while sessions drop a retried command, loud when a state machine executes it twice.

import { describe, expect, it } from "vitest";
import { Simulation, type NodeFactory } from "@course/sim";
import { createRaftNode, leaderOf, type Command, type RaftMessage, type RaftNode } from "@course/raft";
import { raftAppliedOnce } from "../src/index.js";

/** Servers whose state machine ignores session numbers: every copy of a retried command is executed. */
function withoutSessions(factory: NodeFactory<RaftMessage>): NodeFactory<RaftMessage> {
  return (ctx) => {
    const node = factory(ctx) as RaftNode;
    const apply = node.kv.apply.bind(node.kv);
    node.kv.apply = (c: Command) => apply(c.kind === "client" ? { kind: "client", client: c.client, op: c.op } : c);
    return node;
  };
}

function retriedAppend(sessions: boolean): Simulation<RaftMessage> {
  const factory = createRaftNode({ firstTimeouts: { 0: 10 } });
  const sim = new Simulation<RaftMessage>({ seed: 2, nodes: [0, 1, 2], createNode: sessions ? factory : withoutSessions(factory), hooks: [raftAppliedOnce()], record: false });
  sim.runUntil(() => leaderOf(sim)?.id === 0, { timeout: 1000 });
  const op = { type: "append", key: "list", value: "alice.1;", seq: 1 };
  sim.request(0, op, "alice");
  sim.runFor(100);
  sim.request(0, op, "alice"); // the client never heard the answer and tries again
  sim.runFor(100);
  return sim;
}

describe("raftAppliedOnce", () => {
  it("stays quiet when sessions answer a retried command from memory", () => {
    const sim = retriedAppend(true);
    expect(sim.violation, sim.violationReport()).toBeUndefined();
    expect(sim.node<RaftNode>(0)?.kv.get("list")).toBe("alice.1;");
  });

  it("flags the first server that executes a command a second time, naming the client and its command", () => {
    const sim = retriedAppend(false);
    expect(sim.violation?.checker).toBe("Applied Once");
    expect(sim.violation?.details).toMatchObject({ client: "alice", seq: 1, key: "list", count: 2 });
    expect(sim.violation?.message).toContain(`"alice.1;alice.1;"`);
  });
});
