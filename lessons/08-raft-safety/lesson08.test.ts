// Lesson 8's scenarios are safe with Raft's rules, each "break it" variant is flagged, and every labeled step shows what it says.

import { describe, expect, it } from "vitest";
import type { TraceEvent } from "@course/sim";
import type { RaftMessage, RaftNode } from "@course/raft";
import { labelTests, type LabelState } from "../label-checks.js";
import { campaignTerms, logTerms, votersFor } from "./figure-8.js";
import { lesson08 } from "./index.js";

const scenario = (id: string) => lesson08.scenarios.find((s) => s.id === id) ?? (() => { throw new Error(id); })();
type Sim = LabelState["sim"];
const raft = (sim: Sim, id: number) => sim.node<RaftNode>(id);
const terms = (s: LabelState, id: number) => logTerms(s.sim as never, id);
const allTerms = (s: LabelState) => [1, 2, 3, 4, 5].map((id) => terms(s, id).join(","));
const leaders = (sim: Sim) => sim.nodeIds.flatMap((id) => (raft(sim, id)?.role === "leader" ? [id] : []));
/** The note's text says each server's log as the state shows it. */
const saysLogs = (s: LabelState) => {
  for (const id of [1, 2, 3, 4, 5]) expect(s.note.text).toContain(`S${id} [${terms(s, id).join(",")}]${s.sim.isUp(id) ? "" : " (down)"}`);
};
const grants = (trace: readonly TraceEvent[], candidate: number, term: number) => votersFor(trace, candidate, term);
const refusals = (trace: readonly TraceEvent[], candidate: number, term: number) =>
  trace
    .flatMap((e) => {
      const m = e.kind === "send" && e.to === candidate ? (e.msg as RaftMessage) : undefined;
      return m?.type === "RequestVoteReply" && m.term === term && !m.voteGranted && e.kind === "send" ? [e.from] : [];
    })
    .sort();

describe("lesson 8: safety", () => {
  it.each([
    ["stale-candidate", "vote-without-up-to-date-check", "Leader Completeness"],
    ["figure-8", "naive-commit", "Leader Completeness"],
    ["persistence", "forget-voted-for", "Election Safety"],
  ])("%s: no violation with Raft's rules; the %s variant is flagged as %s", (id, variant, checker) => {
    const s = scenario(id);
    const good = s.run({ seed: s.defaultSeed });
    expect(good.sim.violation).toBeUndefined();
    expect(good.result).toContain("no invariant broken");
    expect(Object.keys(s.variants ?? {})).toContain(variant);
    const bad = s.run({ seed: s.defaultSeed, variant });
    expect(bad.sim.violation?.checker).toBe(checker);
    expect(bad.result).toContain(checker);
    expect(bad.sim.trace.some((e) => e.kind === "violation")).toBe(true);
  });

  it("figure-8e keeps every invariant and has no variant", () => {
    const run = scenario("figure-8e").run({ seed: 8 });
    expect(run.sim.violation).toBeUndefined();
    expect(scenario("figure-8e").variants).toBeUndefined();
  });
});

describe("lesson 8: Figure 8 with the paper's terms and both futures after (c)", () => {
  for (const [id, panels] of [
    ["figure-8", ["prelude", "figure-8a", "figure-8b", "figure-8c", "figure-8d", "after-d"]],
    ["figure-8e", ["prelude", "figure-8a", "figure-8b", "figure-8c", "figure-8e", "after-e"]],
  ] as const) {
    it(`${id} plays ${panels.slice(1, -1).join(", ")} in order`, () => {
      const labels = scenario(id).run({ seed: 8 }).sim.trace.flatMap((e) => (e.kind === "note" && e.label !== undefined ? [e.label] : []));
      expect(labels).toEqual(panels);
    });
  }

  it("uses the paper's terms: S1 leads 2 in (a), S5 leads 3 in (b), S1 leads 4 in (c), S5 leads 5 in (d)", () => {
    const trace = scenario("figure-8").run({ seed: 8 }).sim.trace;
    const won = trace.flatMap((e) => (e.kind === "state" && (e.view as { role: string }).role === "leader" ? [`S${e.node}:${(e.view as { term: number }).term}`] : []));
    expect([...new Set(won)]).toEqual(["S1:1", "S1:2", "S5:3", "S1:4", "S5:5"]);
    // S5's first try, term 4, fails: S2 and S3 voted for S1 in it; S4 alone votes for S5.
    expect(refusals(trace, 5, 4)).toEqual([2, 3]);
    expect(grants(trace, 5, 4)).toEqual([4]);
    // The paper's (d): S5 is elected with votes from S2, S3 and S4.
    expect(grants(trace, 5, 5)).toEqual([2, 3, 4]);
  });

  it("in (e) S5 never leads: S2 and S3 refuse it in every term it tries, and S2 wins instead", () => {
    const trace = scenario("figure-8e").run({ seed: 8 }).sim.trace;
    const fork = trace.find((e) => e.kind === "note" && e.label === "figure-8e")?.seq ?? Infinity;
    const tries = campaignTerms(trace, 5, fork);
    expect(tries.length).toBeGreaterThan(1);
    for (const t of tries) expect(refusals(trace, 5, t)).toEqual(expect.arrayContaining([2, 3]));
    expect(trace.some((e) => e.kind === "state" && e.node === 5 && e.seq > fork && (e.view as { role: string }).role === "leader")).toBe(false);
  });

  const prelude = (s: LabelState) => {
    expect(allTerms(s)).toEqual(["1", "1", "1", "1", "1"]);
    expect(leaders(s.sim)).toEqual([1]);
    expect(raft(s.sim, 1)?.currentTerm).toBe(2);
    expect(s.note.text).toContain(`term 2 with the votes of S2, S3, S4 and S5`);
    saysLogs(s);
  };
  const panelA = (s: LabelState) => {
    expect(leaders(s.sim)).toEqual([1]);
    expect(raft(s.sim, 1)?.currentTerm).toBe(2);
    expect(allTerms(s)).toEqual(["1,2", "1,2", "1", "1", "1"]);
    expect(s.note.text).toContain(`S1's commit index reads ${raft(s.sim, 1)?.commitIndex}`);
    expect(s.sim.blockedLinks()).toEqual([[1, 3], [1, 4], [1, 5]]);
    saysLogs(s);
  };
  const panelB = (s: LabelState) => {
    expect(leaders(s.sim)).toEqual([5]);
    expect(raft(s.sim, 5)?.currentTerm).toBe(3);
    expect(s.sim.isUp(1)).toBe(false);
    expect(allTerms(s)).toEqual(["1,2", "1,2", "1", "1", "1,3"]);
    expect(grants(s.sim.trace, 5, 3)).toEqual([3, 4]);
    expect(refusals(s.sim.trace, 5, 3)).toEqual([2]);
    saysLogs(s);
  };
  const panelC = (naive: boolean) => (s: LabelState) => {
    const s1 = raft(s.sim, 1) as RaftNode;
    expect(leaders(s.sim)).toEqual([1]);
    expect(s1.currentTerm).toBe(4);
    expect(s.sim.isUp(5)).toBe(false);
    expect(allTerms(s)).toEqual(["1,2", "1,2", "1,2", "1", "1,3"]);
    expect(grants(s.sim.trace, 1, 4)).toEqual([2, 3]);
    expect(s.sim.blockedLinks()).toEqual([[1, 4]]);
    expect(s1.commitIndex).toBe(naive ? 2 : 0);
    expect(s.note.text).toContain(naive ? "S1's commit index is 2" : "its commit index is still 0");
    saysLogs(s);
  };
  const panelD = (s: LabelState) => {
    expect(leaders(s.sim)).toEqual([5]);
    expect(raft(s.sim, 5)?.currentTerm).toBe(5);
    expect(s.sim.isUp(1)).toBe(false);
    expect(allTerms(s)).toEqual(["1,2", "1,3", "1,3", "1,3", "1,3"]);
    expect(s.note.text).toContain("S2 and S3 held entry 2 of term 2 and still voted for S5");
    saysLogs(s);
  };
  const afterD = (s: LabelState) => {
    expect(allTerms(s)).toEqual(["1,3,5", "1,3,5", "1,3,5", "1,3,5", "1,3,5"]);
    expect([1, 2, 3, 4, 5].map((id) => raft(s.sim, id)?.commitIndex)).toEqual([3, 3, 3, 3, 3]);
    expect(s.note.text).toContain("commit index 3 on every server");
    saysLogs(s);
  };
  const panelE = (s: LabelState) => {
    expect(raft(s.sim, 1)?.role).toBe("leader");
    expect(raft(s.sim, 1)?.currentTerm).toBe(4);
    expect(allTerms(s)).toEqual(["1,2,4", "1,2,4", "1,2,4", "1", "1,3"]);
    expect([1, 2, 3].map((id) => raft(s.sim, id)?.commitIndex)).toEqual([3, 3, 3]);
    expect(s.note.text).toContain("S2 and S3 have learned it");
    saysLogs(s);
  };
  const afterE = (s: LabelState) => {
    const fork = s.trace.find((e) => e.kind === "note" && e.label === "figure-8e")?.seq ?? Infinity;
    const tries = campaignTerms(s.sim.trace, 5, fork);
    expect(s.note.text).toContain(`S5 asked for votes in terms ${tries.length === 2 ? tries.join(" and ") : `${tries[0]} to ${tries.at(-1)}`} and never won`);
    expect(leaders(s.sim)).toEqual([2]);
    expect(s.note.text).toContain(`S2 won term ${raft(s.sim, 2)?.currentTerm} with the votes of S3, S4 and S5`);
    expect(allTerms(s)).toEqual(["1,2,4", "1,2,4", "1,2,4", "1,2,4", "1,2,4"]);
    saysLogs(s);
  };

  labelTests(scenario("figure-8"), { prelude, "figure-8a": panelA, "figure-8b": panelB, "figure-8c": panelC(false), "figure-8d": panelD, "after-d": afterD }, { seed: 8 });
  labelTests(scenario("figure-8e"), { prelude, "figure-8a": panelA, "figure-8b": panelB, "figure-8c": panelC(false), "figure-8e": panelE, "after-e": afterE }, { seed: 8 });
  labelTests(
    scenario("figure-8"),
    {
      prelude,
      "figure-8a": panelA,
      "figure-8b": panelB,
      "figure-8c": panelC(true),
      violation: (s) => {
        expect(leaders(s.sim)).toContain(5);
        expect(raft(s.sim, 5)?.currentTerm).toBe(5);
        expect(terms(s, 5)).toEqual([1, 3]);
        expect(s.sim.violation?.checker).toBe("Leader Completeness");
      },
    },
    { seed: 8, variant: "naive-commit" },
  );
});

describe("lesson 8: the election restriction and persistence, step by step", () => {
  const commit = (s: LabelState) => {
    const leader = raft(s.sim, 0) as RaftNode;
    expect(leader.role).toBe("leader");
    expect([1, 2, 3].map((id) => raft(s.sim, id)?.log.lastIndex)).toEqual([3, 3, 3]);
    expect(leader.log.all().map((e) => e.command.kind)).toEqual(["noop", "client", "client"]);
    expect(leader.commitIndex).toBe(3);
    expect(raft(s.sim, 4)?.log.lastIndex).toBe(1);
    expect(s.note.text).toContain("Node 4 holds only entry 1");
  };
  const campaign = (s: LabelState) => {
    expect(s.sim.isUp(0)).toBe(false);
    expect(s.sim.blockedLinks()).toEqual([]);
    expect(s.note.text).toContain(`Node 4's last entry is index ${raft(s.sim, 4)?.log.lastIndex} of term ${raft(s.sim, 4)?.log.lastTerm}; theirs is index ${raft(s.sim, 1)?.log.lastIndex} of term ${raft(s.sim, 1)?.log.lastTerm}`);
  };
  labelTests(scenario("stale-candidate"), {
    commit,
    campaign,
    safe: (s) => {
      const [leader] = leaders(s.sim);
      expect(leader).not.toBe(4);
      const values = (id: number) => raft(s.sim, id)?.log.all().flatMap((e) => (e.command.kind === "client" ? [e.command.op.value] : []));
      expect(values(leader as number)).toEqual(["1", "2"]);
      expect(values(4)).toEqual(["1", "2"]);
      expect(s.note.text).toContain(`Node ${leader} won term ${raft(s.sim, leader as number)?.currentTerm}`);
      expect(refusals(s.sim.trace, 4, 2)).toEqual([1, 2, 3]);
    },
  });
  labelTests(
    scenario("stale-candidate"),
    {
      commit,
      campaign,
      violation: (s) => {
        expect(leaders(s.sim)).toContain(4);
        expect(raft(s.sim, 4)?.log.all().some((e) => e.command.kind === "client")).toBe(false);
      },
    },
    { seed: 1, variant: "vote-without-up-to-date-check" },
  );

  for (const variant of [undefined, "forget-voted-for"]) {
    labelTests(
      scenario("persistence"),
      {
        cut: (s) => expect(s.sim.blockedLinks()).toEqual([[1, 3], [3, 1]]),
        vote: (s) => {
          expect(leaders(s.sim)).toEqual([1]);
          // The variant writes the term without the vote, and the note says what the disk really holds.
          const disk = variant === undefined ? { currentTerm: 1, votedFor: 1 } : { currentTerm: 1 };
          expect(s.sim.storage(2).get("hardState")).toEqual(disk);
          expect(s.note.text).toContain(`Server 2's disk now holds ${JSON.stringify(disk)}`);
        },
        reboot: (s) => {
          expect(raft(s.sim, 2)?.votedFor ?? undefined).toBe(variant === undefined ? 1 : undefined);
          expect(s.note.text).toContain(`votedFor is ${variant === undefined ? "1" : "empty"}`);
        },
      },
      variant === undefined ? { seed: 1 } : { seed: 1, variant },
    );
  }

  it("persistence: every log stays empty, as its first note says, so only votedFor can refuse the second candidate", () => {
    for (const variant of [undefined, "forget-voted-for"]) {
      const run = scenario("persistence").run(variant === undefined ? { seed: 1 } : { seed: 1, variant });
      expect([1, 2, 3].map((id) => raft(run.sim, id)?.log.lastIndex ?? 0)).toEqual([0, 0, 0]);
      expect(run.sim.trace.some((e) => e.kind === "client-request")).toBe(false);
    }
  });
});
