// Single-server membership changes (thesis §4.1, §4.2.3): a removed server cannot disrupt the cluster it left.

import { describe, expect, it } from "vitest";
import { Simulation } from "@course/sim";
import { createRaftNode, leaderOf, waitForLeader, type RaftMessage, type RaftNode } from "../src/index.js";

const NODES = [0, 1, 2, 3, 4];

describe("removing a follower", () => {
  it("leaves the remaining servers with one stable leader, although the removed server keeps campaigning", () => {
    const sim = new Simulation<RaftMessage>({ seed: 3, nodes: NODES, createNode: createRaftNode(), record: false });
    const leader = waitForLeader(sim, 2000) as RaftNode;
    const removed = NODES.find((n) => n !== leader.id) as number;
    // A change waits for an entry of the leader's term to commit (the single-server fix), so write one first.
    sim.request(leader.id, "x=1");
    sim.runFor(200);
    sim.request(leader.id, { type: "remove-server", node: removed });
    sim.runFor(300);
    expect(leader.members).not.toContain(removed);
    const term = leader.currentTerm;
    sim.runFor(4000);
    // The removed server never received the entry that removed it, so it still counts itself a member and runs
    // for election again and again: its term climbs, but no member adopts it.
    expect(sim.node<RaftNode>(removed)?.members).toContain(removed);
    expect(sim.node<RaftNode>(removed)?.currentTerm).toBeGreaterThan(term + 5);
    expect(leaderOf(sim)?.id).toBe(leader.id);
    expect(leader.role).toBe("leader");
    expect(leader.currentTerm).toBe(term);
  });
});
