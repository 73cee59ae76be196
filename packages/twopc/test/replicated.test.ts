// Two-phase commit with the decision replicated by Paxos: nobody blocks on the coordinator, and atomicity holds.

import { describe, expect, it } from "vitest";
import { Simulation, type ScheduledFault, type TraceEvent } from "@course/sim";
import { createTwoPcNode, type TwoPcMessage, type TwoPcNode, type TwoPcNodeOptions } from "../src/index.js";

const NODES = [0, 1, 2, 3, 4];
const PARTICIPANTS = [1, 2, 3, 4];
const replicated = (extra: TwoPcNodeOptions = {}): TwoPcNodeOptions => ({ replicateDecision: { recoveryTimeout: 200 }, ...extra });

function cluster(options: TwoPcNodeOptions, faults: ScheduledFault[] = []) {
  return new Simulation<TwoPcMessage>({ seed: 1, nodes: NODES, network: { latency: { kind: "fixed", ms: 5 } }, createNode: createTwoPcNode(options), requests: [{ at: 0, node: 0, op: "t1" }], faults });
}
const states = (sim: Simulation<TwoPcMessage>) => PARTICIPANTS.map((id) => sim.node<TwoPcNode>(id)?.inspect().txns.t1);
const sends = (sim: Simulation<TwoPcMessage>, type: string) => sim.trace.filter((e): e is Extract<TraceEvent, { kind: "send" }> => e.kind === "send" && e.msg.type === type);

describe("two-phase commit with a replicated decision", () => {
  it("tells no participant the decision before a majority of acceptors has accepted it", () => {
    const sim = cluster(replicated());
    sim.runUntilTime(500);
    expect(states(sim)).toEqual(["committed", "committed", "committed", "committed"]);
    const firstDecision = sends(sim, "decision")[0];
    const acceptedBefore = sim.trace.filter((e) => e.kind === "deliver" && e.msg.type === "paxos-accepted" && e.seq < (firstDecision?.seq ?? 0));
    expect(new Set(acceptedBefore.map((e) => (e.kind === "deliver" ? e.from : -1))).size).toBeGreaterThanOrEqual(3);
    expect(sim.requests[0]?.result).toEqual({ txn: "t1", decision: "commit" });
  });

  it("lets participants finish while the coordinator stays down, by running a round that adopts COMMIT", () => {
    // With 5 ms links: prepare 0-5 ms, votes 5-10 ms, the decision's Paxos phase 1 10-20 ms; the crash follows the accepts out.
    const sim = cluster(replicated());
    sim.runUntil(() => sends(sim, "paxos-accept").length > 0, { timeout: 1000 });
    sim.apply({ type: "crash", node: 0 });
    sim.runUntilTime(sim.now + 1000);
    expect(sim.isUp(0)).toBe(false);
    expect(states(sim)).toEqual(["committed", "committed", "committed", "committed"]);
    // The first in-doubt participant proposed ABORT and was made to propose COMMIT.
    const recoveryAccepts = sends(sim, "paxos-accept").filter((e) => e.from !== 0);
    expect(recoveryAccepts.length).toBeGreaterThan(0);
    expect(recoveryAccepts.every((e) => (e.msg as unknown as { v: string }).v === "commit")).toBe(true);
  });

  it("aborts everywhere when the coordinator dies before it has decided", () => {
    const sim = cluster(replicated(), [{ at: 6, action: { type: "crash", node: 0 } }]);
    sim.runUntilTime(2000);
    expect(states(sim)).toEqual(["aborted", "aborted", "aborted", "aborted"]);
  });

  it("still aborts on a NO vote: replication keeps the decision, it does not replace the unanimous vote", () => {
    const sim = cluster(replicated({ votesNo: [3] }));
    sim.runUntilTime(1000);
    expect(states(sim)).toEqual(["aborted", "aborted", "aborted", "aborted"]);
    expect(sim.node<TwoPcNode>(0)?.inspect().decisions.t1).toBe("abort");
  });

  it("still aborts when a participant is down and cannot vote", () => {
    const sim = cluster(replicated(), [{ at: 0, action: { type: "crash", node: 4 } }]);
    sim.runUntilTime(1000);
    expect(states(sim).slice(0, 3)).toEqual(["aborted", "aborted", "aborted"]);
  });

  it("a restarted coordinator asks the acceptors instead of presuming abort", () => {
    const sim = cluster(replicated({ replicateDecision: { recoveryTimeout: 5000 } }));
    sim.runUntil(() => sends(sim, "paxos-accept").length > 0, { timeout: 1000 });
    sim.apply({ type: "crash", node: 0 });
    sim.runFor(100);
    sim.apply({ type: "restart", node: 0 });
    sim.runFor(1000);
    expect(states(sim)).toEqual(["committed", "committed", "committed", "committed"]);
    expect(sim.node<TwoPcNode>(0)?.inspect().decisions.t1).toBe("commit");
  });

  it("persists each acceptor's promise and accepted decision before it answers", () => {
    const sim = cluster(replicated());
    sim.runUntilTime(500);
    const replies = sim.trace.filter((e): e is Extract<TraceEvent, { kind: "send" }> => e.kind === "send" && (e.msg.type === "paxos-promise" || e.msg.type === "paxos-accepted"));
    expect(replies.length).toBe(2 * NODES.length);
    for (const r of replies) {
      expect(sim.trace.some((e) => e.kind === "persist" && e.node === r.from && e.key === "paxos-acceptor:t1" && e.step === r.step && e.seq < r.seq), `${r.msg.type} from ${r.from}`).toBe(true);
    }
  });
});
