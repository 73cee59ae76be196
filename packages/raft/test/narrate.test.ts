// The narration words for Raft events: one line per campaign, refusals explained, retransmissions kept quiet, replies told when sent.

import { describe, expect, it } from "vitest";
import { Simulation } from "@course/sim";
import { createRaftNode, raftDescriber, scriptedTimeouts, type RaftMessage, type RaftOptions } from "../src/index.js";

function lines(): string[] {
  const sim = new Simulation<RaftMessage>({
    seed: 3,
    nodes: [1, 2, 3],
    network: { latency: { kind: "fixed", ms: 5 } },
    createNode: createRaftNode({ firstTimeouts: { 1: 10 }, electionTimeoutOverride: scriptedTimeouts([{ from: 0, to: Infinity, node: "others", ms: 5000 }]) }),
  });
  sim.runUntilTime(30);
  sim.apply({ type: "crash", node: 3 });
  sim.request(1, "x=1");
  sim.runUntilTime(200);
  sim.apply({ type: "restart", node: 3 });
  sim.runUntilTime(400);
  const describe = raftDescriber();
  return sim.trace.map((e) => describe(e)).filter((l): l is string => l !== undefined);
}

/** The first 100 ms of three servers in which server 1 times out first, told with these options. */
function electionLines(options: RaftOptions): string[] {
  const sim = new Simulation<RaftMessage>({
    seed: 3,
    nodes: [1, 2, 3],
    network: { latency: { kind: "fixed", ms: 5 } },
    createNode: createRaftNode({ ...options, firstTimeouts: { 1: 10 }, electionTimeoutOverride: scriptedTimeouts([{ from: 0, to: Infinity, node: "others", ms: 5000 }]) }),
  });
  sim.runUntilTime(100);
  const describe = raftDescriber();
  return sim.trace.map((e) => describe(e)).filter((l): l is string => l !== undefined);
}

describe("raftDescriber", () => {
  it("tells the election once, the votes, the win, the entries and the commit, naming servers as the charts do (S1)", () => {
    const out = lines();
    expect(out.filter((l) => l.includes("asks the others for votes"))).toEqual([
      "S1 times out, becomes a candidate for term 1, votes for itself and asks the others for votes; its last log entry is index 0, term 0",
    ]);
    expect(out).toContain("  S2 votes for S1 in term 1");
    // The win is told once, before the first entries the new leader sends: its election no-op (§8).
    expect(out.filter((l) => l.includes("it is the leader of term 1"))).toEqual([
      "S1 has votes from a majority: it is the leader of term 1 and appends a no-op entry of that term (§8); S1 sends S2 entries [1:no-op], to follow index 0 of term 0; commit index 0",
    ]);
    expect(out).toContain("S1 sends S3 entries [1:no-op], to follow index 0 of term 0; commit index 0");
    expect(out.findIndex((l) => l.includes("it is the leader of term 1"))).toBeLessThan(out.findIndex((l) => l.includes("sends S3 entries [1:no-op]")));
    // The client's write follows the no-op.
    expect(out).toContain("S1 sends S2 entries [2:x=1], to follow index 1 of term 1; commit index 1");
    expect(out.some((l) => l.startsWith("S1 now knows entries up to index 2 are committed [2:x=1]"))).toBe(true);
    expect(out).toContain("S3 crashes: it loses everything not on its disk");
  });

  it("tells the win without a no-op after the state change, as before, since no entries go out first", () => {
    expect(electionLines({ noopOnElection: false }).filter((l) => l.includes("leader of term 1"))).toEqual(["S1 has votes from a majority: it is the leader of term 1"]);
  });

  it("with PreVote, tells one timeout: the real campaign follows a majority of pre-votes", () => {
    const out = electionLines({ preVote: true });
    expect(out.filter((l) => l.includes("times out"))).toEqual(["S1 times out and first asks the others whether they would vote for it in term 1 (a pre-vote: nobody changes term yet)"]);
    expect(out).toContain("S1 has pre-votes from a majority, so it becomes a candidate for term 1, votes for itself and asks the others for votes; its last log entry is index 0, term 0");
  });

  it("tells a reply when it is sent, so a follower stores entries before it applies them, never after", () => {
    const out = lines();
    // S3 comes back after a crash and is sent entry 2 with commit index 2: it must store before it applies.
    const stores = out.indexOf("  S3 stores them and acknowledges: its log matches S1's up to index 2");
    const applies = out.findIndex((l) => l.startsWith("S3 now knows entries up to index 2 are committed"));
    expect(stores).toBeGreaterThanOrEqual(0);
    expect(applies).toBeGreaterThan(stores);
  });

  it("stays quiet about heartbeats and about messages to a crashed server", () => {
    const out = lines();
    expect(out.some((l) => l.includes("heartbeat"))).toBe(false);
    const crash = out.indexOf("S3 crashes: it loses everything not on its disk");
    expect(crash).toBeGreaterThan(0);
    expect(out.slice(crash).filter((l) => l.startsWith("S1 sends S3"))).toHaveLength(1); // only the catch-up after the restart
  });

  it("starts afresh when the events start over (a rewind)", () => {
    const describe = raftDescriber();
    const view = { id: 1, role: "leader", term: 1, votedFor: 1, leaderId: 1, log: [], snapshotIndex: 0, snapshotTerm: 0, commitIndex: 0, lastApplied: 0, members: [1], learners: [], electionDeadline: null, kv: {} };
    const event = { seq: 5, step: 1, time: 0, kind: "state" as const, node: 1, view };
    expect(describe(event)).toContain("leader of term 1");
    expect(describe({ ...event, seq: 6 })).toBeUndefined();
    expect(describe({ ...event, seq: 0 })).toContain("leader of term 1");
  });
});
