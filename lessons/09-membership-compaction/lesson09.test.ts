// Lesson 9: membership changes one server at a time, votes from outside a configuration, snapshots, InstallSnapshot.

import { describe, expect, it } from "vitest";
import type { TraceEvent } from "@course/sim";
import type { RaftMessage, RaftNode, RaftView } from "@course/raft";
import { labelTests, type LabelState } from "../label-checks.js";
import { configurationText } from "./configuration.js";
import { lesson09 } from "./index.js";
import { answeredBy } from "./vote-requests.js";

const scenario = (id: string) => lesson09.scenarios.find((s) => s.id === id) ?? (() => { throw new Error(id); })();
const node = (s: LabelState, id: number) => s.sim.node<RaftNode>(id);
const leader = (s: LabelState) => s.sim.nodeIds.map((id) => node(s, id)).find((n) => n?.role === "leader");
const views = (trace: readonly TraceEvent[]) => trace.flatMap((e) => (e.kind === "state" ? [{ node: e.node, seq: e.seq, view: e.view as RaftView }] : []));
/** The last element that matches (Array.prototype.findLast is newer than the course's target). */
function lastOf<T>(items: readonly T[], match: (item: T) => boolean): T | undefined {
  return [...items].reverse().find(match);
}
/** The note tells the configuration exactly as the state shows it. */
const saysConfiguration = (s: LabelState) => expect(s.note.text).toContain(`Configuration: ${configurationText(s.sim as never)}`);

describe("lesson 9: membership", () => {
  it("grows [0,1,2] to five, removes the leader, adds it back after a refused first request, and every member agrees", () => {
    const run = scenario("membership").run({ seed: 4 });
    run.sim.assertNoViolation();
    expect(run.result).toMatch(/configuration \[0, 1, 2\] became \[0, 1, 2, 3, 4\]; server (\d) removed itself, stepped down and was added back by server \d, leader of term \d+, after its first change request was refused \(retry\)/);
    expect(run.result).toContain("applied y=2: yes");
  });

  it("each new server first catches up as a learner, shown in the leader's view, and only then joins the configuration", () => {
    const s = scenario("membership");
    const run = s.run({ seed: 4 });
    const lines = run.sim.trace.map((e) => s.describe?.(e)).filter((l): l is string => l !== undefined);
    for (const id of [3, 4]) {
      const learning = lines.findIndex((l) => l.includes(`starts copying its log to S${id} as a non-voting learner`));
      const promoted = lines.findIndex((l) => l.includes(`S${id} has caught up`));
      const joined = lines.findIndex((l) => l.includes(`now uses the configuration [`) && l.includes(`, S${id}]`));
      expect(learning, `server ${id}`).toBeGreaterThanOrEqual(0);
      expect(promoted, `server ${id}`).toBeGreaterThan(learning);
      expect(joined, `server ${id}`).toBeGreaterThanOrEqual(promoted);
      expect(views(run.sim.trace).some((v) => v.view.role === "leader" && v.view.learners.includes(id) && !v.view.members.includes(id)), `server ${id} listed as a learner`).toBe(true);
    }
  });

  it("servers outside the configuration never campaign, and a learner's copy never counts toward a commit", () => {
    const run = scenario("membership").run({ seed: 4 });
    const trace = run.sim.trace;
    const joined = (id: number) => views(trace).find((v) => v.node === id && v.view.members.includes(id))?.seq ?? Infinity;
    for (const id of [3, 4]) {
      expect(trace.some((e) => e.kind === "send" && e.from === id && (e.msg.type === "RequestVote" || e.msg.type === "PreVote") && e.seq < joined(id)), `server ${id}`).toBe(false);
    }
    // While a learner is being caught up, the leader's commit index never rests on it: a majority of members had each index first.
    for (const v of views(trace).filter((x) => x.view.role === "leader" && x.view.learners.length > 0)) {
      const members = v.view.members.filter((m) => m !== v.node);
      const holders = members.filter((m) => (v.view.matchIndex?.[m] ?? 0) >= v.view.commitIndex).length + 1;
      expect(holders).toBeGreaterThanOrEqual(Math.floor(v.view.members.length / 2) + 1);
    }
  });

  labelTests(scenario("membership"), {
    start: (s) => {
      expect(s.sim.nodeIds.every((id) => node(s, id)?.members.join() === "0,1,2")).toBe(true);
      expect([3, 4].every((id) => s.sim.isUp(id))).toBe(true);
    },
    ready: (s) => {
      const l = leader(s) as RaftNode;
      const noop = l.log.all().find((e) => e.term === l.currentTerm);
      expect(noop?.command.kind).toBe("noop");
      expect(l.commitIndex).toBeGreaterThanOrEqual(noop?.index ?? Infinity);
      expect(l.learners).toEqual([]);
      saysConfiguration(s);
    },
    "learner-3": (s) => {
      expect(leader(s)?.learners).toEqual([3]);
      expect(leader(s)?.members).toEqual([0, 1, 2]);
      expect(s.note.text).toContain(`Server 3 holds ${node(s, 3)?.log.lastIndex} entries`);
      saysConfiguration(s);
    },
    "member-3": (s) => {
      const l = leader(s) as RaftNode;
      expect(l.members).toEqual([0, 1, 2, 3]);
      expect(l.learners).toEqual([]);
      expect(l.commitIndex).toBeGreaterThanOrEqual(lastOf(l.log.all(), (e) => e.command.kind === "config")?.index ?? Infinity);
      saysConfiguration(s);
    },
    "learner-4": (s) => {
      expect(leader(s)?.learners).toEqual([4]);
      expect(leader(s)?.members).toEqual([0, 1, 2, 3]);
      saysConfiguration(s);
    },
    "member-4": (s) => {
      expect(leader(s)?.members).toEqual([0, 1, 2, 3, 4]);
      expect(s.note.text).toContain("A majority of 5 is 3");
      saysConfiguration(s);
    },
    removed: (s) => {
      const l = leader(s) as RaftNode;
      expect(l.id).not.toBe(0);
      expect(node(s, 0)?.role).toBe("follower");
      expect(node(s, 0)?.members).toEqual([1, 2, 3, 4]);
      expect(s.note.text).toContain(`Server ${l.id} won term ${l.currentTerm}`);
      saysConfiguration(s);
    },
    fix: (s) => {
      const l = leader(s) as RaftNode;
      const noop = l.log.all().find((e) => e.term === l.currentTerm);
      expect(noop?.command.kind).toBe("noop");
      expect(l.commitIndex).toBeLessThan(noop?.index ?? 0);
      const refusal = lastOf(s.sim.trace, (e) => e.kind === "client-reply" && e.node === l.id);
      expect(refusal?.kind === "client-reply" && refusal.result).toMatchObject({ ok: false, error: "retry" });
      expect(s.note.text).toContain(`its no-op of term ${l.currentTerm} (index ${noop?.index}) is not committed yet (commit index ${l.commitIndex})`);
    },
    back: (s) => {
      expect(leader(s)?.members).toEqual([0, 1, 2, 3, 4]);
      expect(s.sim.nodeIds.every((id) => node(s, id)?.members.join() === "0,1,2,3,4")).toBe(true);
      saysConfiguration(s);
    },
  });
});

describe("lesson 9: vote requests from outside a configuration", () => {
  it("new-server-vote: server 2, which never stored the configuration with server 3, votes for it, and server 3 wins", () => {
    const run = scenario("new-server-vote").run({ seed: 1 });
    run.sim.assertNoViolation();
    const trace = run.sim.trace;
    const won = views(trace).find((v) => v.node === 3 && v.view.role === "leader");
    expect(won).toBeDefined();
    const term = won?.view.term ?? 0;
    const grant = trace.find((e) => {
      const m = e.kind === "send" && e.from === 2 && e.to === 3 ? (e.msg as RaftMessage) : undefined;
      return m?.type === "RequestVoteReply" && m.term === term && m.voteGranted;
    });
    expect(grant).toBeDefined();
    // When it voted, server 2's configuration did not include server 3.
    const at = lastOf(views(trace), (v) => v.node === 2 && v.seq < (grant?.seq ?? 0));
    expect(at?.view.members).toEqual([0, 1, 2]);
    expect(run.result).toContain(`server 3 won term ${term} with votes from servers 1, 2`);
  });

  labelTests(scenario("new-server-vote"), {
    added: (s) => {
      expect(s.sim.isUp(2)).toBe(false);
      expect([0, 1, 3].every((id) => node(s, id)?.members.join() === "0,1,2,3")).toBe(true);
      expect(s.note.text).toContain("its log still says [0, 1, 2]");
      saysConfiguration(s);
    },
    "stuck-shape": (s) => {
      const [n1, n2, n3] = [1, 2, 3].map((id) => node(s, id) as RaftNode) as [RaftNode, RaftNode, RaftNode];
      expect(s.sim.isUp(0)).toBe(false);
      expect(n3.log.lastIndex).toBeGreaterThan(n1.log.lastIndex);
      expect(n1.log.lastIndex).toBeGreaterThan(n2.log.lastIndex);
      expect(new Set([n1.log.lastTerm, n2.log.lastTerm, n3.log.lastTerm]).size).toBe(1);
      expect(n2.members).toEqual([0, 1, 2]);
      expect(n1.members).toEqual([0, 1, 2, 3]);
      expect(s.note.text).toContain(`Server 3's log ends at index ${n3.log.lastIndex} (b=2), server 1's at ${n1.log.lastIndex}, server 2's at ${n2.log.lastIndex}`);
    },
    elected: (s) => {
      expect(leader(s)?.id).toBe(3);
      expect(node(s, 2)?.members).toEqual([0, 1, 2]);
      saysConfiguration(s);
    },
  });

  it("removed-server: nobody answers the removed server's vote requests, and the leader keeps its term", () => {
    const run = scenario("removed-server").run({ seed: 1 });
    run.sim.assertNoViolation();
    const trace = run.sim.trace;
    const removedAt = trace.find((e) => e.kind === "note" && e.label === "removed")?.seq ?? Infinity;
    const campaigns = trace.filter((e) => e.kind === "send" && e.from === 3 && e.msg.type === "RequestVote" && e.seq > removedAt);
    expect(campaigns.length).toBeGreaterThan(3);
    expect(answeredBy(trace.filter((e) => e.seq > removedAt), 3)).toEqual([]);
    expect(run.sim.node<RaftNode>(0)?.role).toBe("leader");
  });

  labelTests(scenario("removed-server"), {
    removed: (s) => {
      expect(node(s, 0)?.role).toBe("leader");
      expect([0, 1, 2].every((id) => node(s, id)?.members.join() === "0,1,2")).toBe(true);
      expect(node(s, 3)?.members).toEqual([0, 1, 2, 3]);
      expect(s.sim.blockedLinks()).toEqual([]);
      saysConfiguration(s);
    },
    ignored: (s) => {
      const l = node(s, 0) as RaftNode;
      expect(l.role).toBe("leader");
      expect(s.note.text).toContain(`Server 0 still leads term ${l.currentTerm}`);
      expect(s.note.text).toContain("nobody answered");
      expect(node(s, 3)?.currentTerm).toBeGreaterThan(l.currentTerm);
    },
  });
});

describe("lesson 9: compaction", () => {
  it("snapshots replace the log prefix on every server", () => {
    const run = scenario("snapshot").run({ seed: 1 });
    run.sim.assertNoViolation();
    // Twelve writes after the leader's election no-op: 13 entries, 10 of them folded into each snapshot.
    expect(run.result).toContain("13 entries applied; each server's log now starts after index 10/10/10 and holds 3/3/3 entries");
  });

  labelTests(scenario("snapshot"), {
    kept: (s) => {
      for (const id of [0, 1, 2]) {
        const n = node(s, id) as RaftNode;
        expect(n.log.snapshotIndex).toBe(10);
        expect(n.snapshot?.lastIncludedIndex).toBe(10);
      }
      // Each server's line tells the snapshot's own state, which differs from the state machine's (three entries later).
      const lines = s.trace.filter((e) => e.kind === "note" && e.text.startsWith("Server ") && e.text.includes("snapshot up to index"));
      expect(lines).toHaveLength(3);
      for (const line of lines) {
        const n = node(s, Number(/^Server (\d)/.exec(line.kind === "note" ? line.text : "")?.[1])) as RaftNode;
        const held = (n.snapshot?.state as { data?: Record<string, string> } | undefined)?.data;
        expect(line.kind === "note" && line.text).toContain(`holding ${JSON.stringify(held)}`);
      }
    },
  });

  it("a lagging follower receives InstallSnapshot and ends with the leader's data", () => {
    const run = scenario("install-snapshot").run({ seed: 1 });
    run.sim.assertNoViolation();
    expect(run.result).toMatch(/received [1-9]\d* InstallSnapshot message\(s\) up to index 10, applied up to 13 \(leader 13\); same data as the leader: yes/);
  });

  labelTests(scenario("install-snapshot"), {
    behind: (s) => {
      const l = leader(s) as RaftNode;
      expect(s.note.text).toContain(`starts after index ${l.log.snapshotIndex}`);
    },
    return: (s) => {
      const back = s.sim.nodeIds.find((id) => node(s, id)?.role === "follower" && (node(s, id)?.log.snapshotIndex ?? 0) === 0) as number;
      expect(s.note.text).toContain(node(s, back)?.log.lastIndex === 0 ? "an empty log" : `ends at index ${node(s, back)?.log.lastIndex}`);
    },
    installed: (s) => {
      const back = Number(/^Server (\d)/.exec(s.note.text)?.[1]);
      expect(node(s, back)?.log.snapshotIndex).toBe(10);
      expect(s.sim.trace.some((e) => e.kind === "deliver" && e.to === back && e.msg.type === "InstallSnapshot")).toBe(true);
    },
  });
});
