// Scripted liveness scenarios around membership changes: each once left a healthy majority stuck forever.

import { describe, expect, it } from "vitest";
import { Simulation, type NodeId } from "@course/sim";
import { createRaftNode, leaderOf, raftNodes, type ClientResult, type RaftMessage, type RaftNode, type RaftOptions } from "@course/raft";
import { raftInvariants } from "../src/index.js";
import { submit } from "./raft-lab.js";

/** A checked cluster of `nodes` in which only `members` start in the configuration and `first` times out first. */
function cluster(nodes: number, members: readonly NodeId[], first: NodeId, options: RaftOptions = {}): Simulation<RaftMessage> {
  return new Simulation<RaftMessage>({
    seed: 1,
    nodes: Array.from({ length: nodes }, (_, k) => k),
    createNode: createRaftNode({ members, firstTimeouts: { [first]: 10 }, ...options }),
    hooks: raftInvariants(),
    record: false,
  });
}

/** Sends `op` to `node` and runs until it is answered (or `timeout` passes); returns the answer. */
function ask(sim: Simulation<RaftMessage>, node: NodeId, op: unknown, timeout = 1000): ClientResult | undefined {
  const id = sim.request(node, op, "admin");
  sim.runUntil(() => sim.requests.find((r) => r.request.id === id)?.result !== undefined, { timeout });
  sim.assertNoViolation();
  return sim.requests.find((r) => r.request.id === id)?.result as ClientResult | undefined;
}

const node = (sim: Simulation<RaftMessage>, id: NodeId) => sim.node<RaftNode>(id) as RaftNode;

describe("liveness under membership changes", () => {
  it("thesis §4.2.2: a server removed by an uncommitted entry still campaigns (without its own vote) when the others need it", () => {
    // Four members; 3 is down for good. Leader 0 appends its own removal while cut off, then restarts: only 0 has the
    // entry, so 1 and 2 cannot win under [0, 1, 2, 3] without 0's vote, which 0's newer log refuses them.
    const sim = cluster(4, [0, 1, 2, 3], 0);
    sim.runUntil(() => leaderOf(sim)?.id === 0, { timeout: 1000 });
    expect(submit(sim, "a=1").ok).toBe(true);
    sim.runFor(100);
    sim.apply({ type: "crash", node: 3 });
    sim.apply({ type: "isolate", node: 0 });
    sim.request(0, { type: "remove-server", node: 0 }, "admin");
    sim.runFor(10);
    expect(node(sim, 0).members).toEqual([1, 2, 3]);
    sim.apply({ type: "restart", node: 0 });
    sim.apply({ type: "heal" });
    // 0 campaigns under [1, 2, 3] (not counting itself), wins with 1 and 2, commits its removal and steps down; then
    // 1 or 2 leads the new configuration.
    const ok = sim.runUntil(() => {
      const l = leaderOf(sim);
      return l !== undefined && l.id !== 0 && l.members.join() === "1,2,3" && l.commitIndex >= l.log.lastIndex;
    }, { timeout: 5000 });
    sim.assertNoViolation();
    expect(ok, `no leader of [1, 2, 3] within 5 s; roles ${raftNodes(sim).map((n) => `${n.id}:${n.role}@${n.currentTerm}`).join(" ")}`).toBe(true);
    expect(node(sim, 0).role).not.toBe("leader");
    expect(submit(sim, "b=2").ok).toBe(true);
  });

  it("a one-member configuration commits on every path that appends: election no-op, ReadIndex read, membership request", () => {
    for (const noopOnElection of [true, false]) {
      const sim = cluster(2, [0], 0, { noopOnElection });
      sim.runUntil(() => leaderOf(sim)?.id === 0, { timeout: 1000 });
      expect(ask(sim, 0, "x=1")?.ok).toBe(true);
      // A leader change in the one-member configuration: the restarted server leads a new term with nothing of it committed.
      sim.apply({ type: "restart", node: 0 });
      sim.runUntil(() => leaderOf(sim)?.id === 0, { timeout: 1000 });
      if (noopOnElection) expect(node(sim, 0).commitIndex, "the election no-op commits at once").toBe(node(sim, 0).log.lastIndex);
      expect(ask(sim, 0, { type: "get", key: "x" }), `read (no-op on election ${noopOnElection})`).toEqual({ ok: true, value: "1" });
      sim.apply({ type: "restart", node: 0 });
      sim.runUntil(() => leaderOf(sim)?.id === 0, { timeout: 1000 });
      let added: ClientResult | undefined;
      for (let attempt = 0; attempt < 5 && !added?.ok; attempt++) added = ask(sim, 0, { type: "add-server", node: 1 });
      expect(added, `add-server (no-op on election ${noopOnElection})`).toMatchObject({ ok: true });
      expect(node(sim, 0).members).toEqual([0, 1]);
    }
  });

  it("thesis §4.1: a server answers vote requests from candidates outside its configuration (no circular deadlock)", () => {
    // [0, 1, 2] grows to [0, 1, 2, 3] while 2 is down; then an entry reaches only 0 and 3, and 0 dies for good.
    // 3 has the best log and needs 2's vote, but 2 (which never saw the change) does not know 3 as a member.
    const sim = cluster(4, [0, 1, 2], 0);
    sim.runUntil(() => leaderOf(sim)?.id === 0, { timeout: 1000 });
    expect(submit(sim, "a=1").ok).toBe(true);
    sim.runFor(100);
    sim.apply({ type: "crash", node: 2 });
    expect(submit(sim, { type: "add-server", node: 3 }, "admin").ok).toBe(true);
    sim.runFor(100);
    sim.apply({ type: "cut", from: 0, to: 1 });
    sim.request(0, "b=2");
    sim.runFor(20);
    expect(node(sim, 3).log.lastIndex).toBeGreaterThan(node(sim, 1).log.lastIndex);
    sim.apply({ type: "crash", node: 0 });
    // Whatever 0 sent before it died is delivered (or lost to the crashed 2) before 2 comes back.
    sim.runFor(20);
    sim.apply({ type: "restart", node: 2 });
    sim.apply({ type: "heal" });
    expect(node(sim, 2).members).toEqual([0, 1, 2]);
    const ok = sim.runUntil(() => leaderOf(sim) !== undefined, { timeout: 5000 });
    sim.assertNoViolation();
    expect(ok, `no leader within 5 s; roles ${raftNodes(sim).map((n) => `${n.id}:${n.role}@${n.currentTerm}`).join(" ")}`).toBe(true);
    expect(leaderOf(sim)?.id).toBe(3);
    expect(submit(sim, "c=3").ok).toBe(true);
  });

  it("thesis §4.2.3: without CheckQuorum too, a server that heard from its leader lately ignores a removed server's vote requests", () => {
    const sim = cluster(4, [0, 1, 2, 3], 0);
    sim.runUntil(() => leaderOf(sim)?.id === 0, { timeout: 1000 });
    expect(submit(sim, "a=1").ok).toBe(true);
    sim.apply({ type: "isolate", node: 3 });
    expect(submit(sim, { type: "remove-server", node: 3 }, "admin").ok).toBe(true);
    sim.apply({ type: "heal" });
    const term = node(sim, 0).currentTerm;
    sim.runFor(3000);
    sim.assertNoViolation();
    // 3 never learnt of its removal and campaigns in ever higher terms; nobody listens.
    expect(node(sim, 3).currentTerm).toBeGreaterThan(term + 3);
    expect(leaderOf(sim)?.id).toBe(0);
    expect(node(sim, 0).currentTerm).toBe(term);
  });

  it("a leader that inherits an uncommitted configuration entry commits it (a no-op of its term) instead of answering retry forever", () => {
    // Without the election no-op, the new leader's first membership request is what must commit the inherited entry.
    const sim = cluster(4, [0, 1, 2], 0, { noopOnElection: false });
    sim.runUntil(() => leaderOf(sim)?.id === 0, { timeout: 1000 });
    expect(submit(sim, "a=1").ok).toBe(true);
    sim.request(0, { type: "add-server", node: 3 }, "admin");
    // As soon as 0 appends the configuration entry, every acknowledgement to it is lost; then it dies.
    const appended = sim.runUntil(() => node(sim, 0).log.all().some((e) => e.command.kind === "config"), { timeout: 2000 });
    expect(appended).toBe(true);
    for (const from of [1, 2, 3]) sim.apply({ type: "cut", from, to: 0 });
    sim.runFor(20);
    sim.apply({ type: "crash", node: 0 });
    sim.apply({ type: "heal" });
    sim.runUntil(() => leaderOf(sim) !== undefined, { timeout: 3000 });
    const heir = leaderOf(sim) as RaftNode;
    expect(heir.members).toEqual([0, 1, 2, 3]);
    expect(heir.commitIndex).toBeLessThan(heir.log.lastIndex);
    let removed: ClientResult | undefined;
    for (let attempt = 0; attempt < 10 && !removed?.ok; attempt++) {
      removed = ask(sim, heir.id, { type: "remove-server", node: 0 });
      sim.runFor(50);
    }
    expect(removed?.ok, `the last answer was ${JSON.stringify(removed)}`).toBe(true);
    expect(heir.members).toEqual([1, 2, 3]);
  });

  it("refuses to remove the last member, with an error that says why", () => {
    const sim = cluster(1, [0], 0);
    sim.runUntil(() => leaderOf(sim)?.id === 0, { timeout: 1000 });
    expect(ask(sim, 0, "x=1")?.ok).toBe(true);
    const answer = ask(sim, 0, { type: "remove-server", node: 0 });
    expect(answer).toMatchObject({ ok: false, error: "bad-request" });
    expect((answer as { reason?: string }).reason).toMatch(/last member/);
    expect(node(sim, 0).members).toEqual([0]);
    expect(ask(sim, 0, "y=2")?.ok).toBe(true);
  });
});
