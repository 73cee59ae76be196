// Lesson 3's scenarios: the seed's failed round on a real link, the duel and both fixes, the minority, the surviving value.

import { describe, expect, it } from "vitest";
import type { TraceEvent } from "@course/sim";
import { compareBallots, formatBallot, sameBallot, type Ballot, type BasicPaxosNode, type PaxosMessage } from "@course/paxos";
import { labelTests, type LabelState } from "../label-checks.js";
import { lesson03 } from "./index.js";
import { longestPreemptedStreak, proposerRounds } from "./rounds.js";
import { checkScenario, noteSeq, scenarioById } from "./scenario-checks.js";

const scenario = (id: string) => scenarioById(lesson03, id);
type Send = Extract<TraceEvent, { kind: "send" }>;
type Deliver = Extract<TraceEvent, { kind: "deliver" }>;
const sends = (trace: readonly TraceEvent[], type: string, until = Infinity) => trace.filter((e): e is Send => e.kind === "send" && e.msg.type === type && e.seq < until);
const ballotOf = (e: { msg: unknown }) => (e.msg as { n: Ballot }).n;
const learnedAt = (run: { sim: LabelState["sim"] }, id: number) => run.sim.node<BasicPaxosNode>(id)?.inspect().learned;
const view = (s: LabelState, id: number) => s.sim.node<BasicPaxosNode>(id)?.inspect();

describe("lesson 3, case 1: the seed's lost promise, on a real link", () => {
  for (const seed of [1, 7]) {
    it(`reproduces 'got 2, need 3' with acceptors 0, 2, 4 alive and acceptor 2's promise lost on the link 2 -> 0 (seed ${seed})`, () => {
      const run = checkScenario(scenario("lost-promise"), seed);
      const trace = run.sim.trace;
      expect(run.sim.violation).toBeUndefined();
      // Only real links fail: no node's link to itself is ever cut.
      expect(trace.filter((e) => (e.kind === "cut" && e.from === e.to) || (e.kind === "drop" && e.from === e.to))).toEqual([]);
      expect(trace.filter((e) => e.kind === "cut").map((e) => (e.kind === "cut" ? [e.from, e.to] : []))).toEqual([[2, 0]]);
      const failure = noteSeq(run, /got 2, need 3/);
      expect(noteSeq(run, /^Alive acceptors: \[0, 2, 4\]/)).toBeLessThan(failure);
      // Round 1: promises sent by 0, 2 and 4, all for n=1.0; only 0's and 4's reach the proposer.
      const promises = sends(trace, "promise", failure);
      expect(promises.map((e) => e.from).sort()).toEqual([0, 2, 4]);
      expect(promises.every((e) => e.to === 0 && formatBallot(ballotOf(e)) === "1.0")).toBe(true);
      const arrived = trace.filter((e): e is Deliver => e.kind === "deliver" && e.msg.type === "promise" && e.seq < failure);
      expect(arrived.map((e) => e.from).sort()).toEqual([0, 4]);
      expect(trace.some((e) => e.kind === "drop" && e.msg.type === "promise" && e.from === 2 && e.to === 0 && e.reason === "partition" && e.seq < failure)).toBe(true);
      expect(sends(trace, "prepare", failure).every((e) => e.from === 0)).toBe(true);
      expect(learnedAt(run, 0)).toBe("x=42");
      expect(run.result).toMatch(/value='x=42' at n=2\.0/);
    });

    it(`says exactly where the seed's output differs: msgs=2 against the messages round 1 really sent, and n=1.0 for its 1 (seed ${seed})`, () => {
      const run = scenario("lost-promise").run({ seed });
      const trace = run.sim.trace;
      const note = trace.find((e) => e.kind === "note" && e.label === "seed-differences");
      const roundStart = trace.find((e) => e.kind === "client-request")?.seq ?? 0;
      const round1 = trace.filter((e) => e.kind === "send" && e.seq > roundStart && e.seq < (note?.seq ?? 0));
      const prepares = round1.filter((e) => e.kind === "send" && e.msg.type === "prepare").length;
      const promises = round1.filter((e) => e.kind === "send" && e.msg.type === "promise").length;
      const arrived = trace.filter((e) => e.kind === "deliver" && e.msg.type === "promise" && e.seq < (note?.seq ?? 0)).length;
      expect([round1.length, prepares, promises, arrived]).toEqual([8, 5, 3, 2]);
      expect(note?.kind === "note" && note.text).toContain(`"msgs=2" matches only the ${arrived} promises that arrived. A correct round 1 sent ${round1.length} messages: ${prepares} prepares`);
      expect(note?.kind === "note" && note.text).toContain(`${promises} promises (one lost)`);
      expect(note?.kind === "note" && note.text).toContain('"proposal number = 1" is round 1 here, written n=1.0');
    });
  }

  labelTests(scenario("lost-promise"), {
    "case-1-lost-promise": (s) => {
      expect(s.sim.nodeIds.filter((id) => s.sim.isUp(id))).toEqual([0, 2, 4]);
      expect(s.sim.blockedLinks()).toEqual([[2, 0]]);
    },
    "round-1": (s) => {
      expect(view(s, 0)?.proposer.phase).toBe("prepare");
      expect(formatBallot(view(s, 0)?.proposer.ballot)).toBe("1.0");
      expect(view(s, 0)?.proposer.ownValue).toBe("x=42");
    },
    "round-1-result": (s) => {
      expect([...(view(s, 0)?.proposer.promises.keys() ?? [])].sort()).toEqual([0, 4]);
      expect(formatBallot(view(s, 2)?.acceptor.promised)).toBe("1.0");
      expect(view(s, 0)?.learned).toBeUndefined();
      expect(s.sim.trace.some((e) => e.kind === "drop" && e.msg.type === "promise" && e.from === 2)).toBe(true);
    },
    "seed-differences": (s) => expect(view(s, 0)?.proposer.promises.size).toBe(2),
    why: (s) => {
      expect(view(s, 0)?.proposer.promises.size).toBe(2);
      expect(s.sim.nodeIds.every((id) => view(s, id)?.acceptor.accepted === undefined || !s.sim.isUp(id))).toBe(true);
    },
    "round-2": (s) => {
      expect(formatBallot(view(s, 0)?.proposer.ballot)).toBe("2.0");
      expect(s.sim.blockedLinks()).toEqual([]);
    },
    chosen: (s) => {
      expect([0, 2, 4].map((id) => view(s, id)?.acceptor.accepted?.v)).toEqual(["x=42", "x=42", "x=42"]);
      expect(view(s, 0)?.learned).toBe("x=42");
    },
  });
});

describe("lesson 3, case 2: dueling proposers, backoff, and a distinguished proposer", () => {
  const dueling = scenario("dueling-proposers");

  it("duels on its default seed: at least two rounds in a row are pre-empted", () => {
    const run = checkScenario(dueling, dueling.defaultSeed);
    expect(longestPreemptedStreak(proposerRounds(run.sim.trace, 5))).toBeGreaterThanOrEqual(2);
  });

  it("pre-empts each round because a rival's higher prepare reached acceptors before that round's accept", () => {
    const trace = dueling.run({ seed: dueling.defaultSeed }).sim.trace;
    for (const round of proposerRounds(trace, 5).filter((r) => r.preempted)) {
      const beaten = trace.some((p) => {
        if (p.kind !== "deliver" || p.msg.type !== "prepare" || p.from === round.proposer || compareBallots(ballotOf(p), round.ballot) <= 0) return false;
        const accept = trace.find((a) => a.kind === "deliver" && a.msg.type === "accept" && a.to === p.to && sameBallot(ballotOf(a), round.ballot));
        return accept === undefined || p.seq < accept.seq;
      });
      expect(beaten, `n=${formatBallot(round.ballot)}`).toBe(true);
    }
  });

  it("with randomized backoff, every duel on 100 seeds ends with one value chosen within 1 s", () => {
    for (let seed = 1; seed <= 100; seed++) {
      const run = dueling.run({ seed });
      expect(run.sim.violation, `seed ${seed}`).toBeUndefined();
      const chosen = run.sim.trace.find((e) => e.kind === "state" && (e.view as { learned?: unknown }).learned != null);
      expect(chosen && chosen.time, `seed ${seed}: npm run lesson 3 -- --scenario dueling-proposers --seed ${seed}`).toBeLessThan(1000);
    }
  });

  it("livelocks without backoff: many rounds, every one pre-empted, nothing chosen, nothing unsafe", () => {
    const run = checkScenario(dueling, dueling.defaultSeed, "no-backoff");
    expect(run.sim.violation).toBeUndefined();
    expect([0, 1, 2, 3, 4].map((id) => learnedAt(run, id))).toEqual([undefined, undefined, undefined, undefined, undefined]);
    const rounds = proposerRounds(run.sim.trace, 5);
    expect(rounds.length).toBeGreaterThan(20);
    expect(longestPreemptedStreak(rounds)).toBe(rounds.length - 2); // all but the two still open when the watch ends
    expect(run.result).toMatch(/no value chosen/);
  });

  it("with a distinguished proposer, the same race needs one round and only node 1 proposes", () => {
    const run = checkScenario(scenario("distinguished-proposer"), 1);
    const rounds = proposerRounds(run.sim.trace, 5);
    expect(rounds.map((r) => [r.proposer, r.preempted, r.chosen])).toEqual([[1, false, true]]);
    expect(sends(run.sim.trace, "forward").map((e) => [e.from, e.to])).toEqual([[3, 1]]);
    expect([0, 1, 2, 3, 4].map((id) => learnedAt(run, id))).toEqual(["a", "a", "a", "a", "a"]);
  });

  const streak = (s: LabelState) => longestPreemptedStreak(proposerRounds(s.sim.trace, 5));
  labelTests(dueling, {
    "case-2-dueling": (s) => {
      expect(view(s, 1)?.proposer.phase).toBe("prepare");
      expect(view(s, 3)?.proposer.phase).toBe("idle");
    },
    duel: (s) => {
      expect(streak(s)).toBeGreaterThanOrEqual(2);
      const preempted = proposerRounds(s.sim.trace, 5).filter((r) => r.preempted);
      expect(s.note.text).toContain(preempted.map((r) => `n=${formatBallot(r.ballot)}`).join(" and "));
    },
    fix: (s) => {
      const rounds = proposerRounds(s.sim.trace, 5);
      const winner = rounds.find((r) => r.chosen);
      expect(winner).toBeDefined();
      expect(s.note.text).toContain(`chosen at n=${formatBallot(winner?.ballot)} after ${rounds.filter((r) => r.preempted).length} pre-empted rounds`);
    },
  });
  labelTests(
    dueling,
    {
      "case-2-dueling": (s) => expect(view(s, 3)?.proposer.phase).toBe("idle"),
      duel: (s) => expect(streak(s)).toBeGreaterThanOrEqual(2),
      livelock: (s) => {
        expect([0, 1, 2, 3, 4].every((id) => view(s, id)?.learned === undefined)).toBe(true);
        expect(streak(s)).toBeGreaterThan(20);
      },
    },
    { seed: dueling.defaultSeed, variant: "no-backoff" },
  );
  labelTests(scenario("distinguished-proposer"), {
    distinguished: (s) => {
      expect(view(s, 1)?.proposer.phase).toBe("prepare");
      expect(view(s, 3)?.proposer.phase).toBe("idle");
    },
    forwarded: (s) => {
      expect(s.sim.trace.some((e) => e.kind === "send" && e.msg.type === "forward" && e.from === 3 && e.to === 1)).toBe(true);
      expect(view(s, 3)?.proposer.phase).toBe("idle");
    },
    chosen: (s) => {
      expect(view(s, 1)?.learned).toBe("a");
      expect(proposerRounds(s.sim.trace, 5)).toHaveLength(1);
    },
  });
});

describe("lesson 3, case 3: a minority alive", () => {
  it("chooses nothing while two nodes are up, and the value once a third returns", () => {
    const run = checkScenario(scenario("minority-alive"), 1);
    expect(run.sim.violation).toBeUndefined();
    const back = run.sim.trace.find((e) => e.kind === "restart" && e.node === 0)?.seq ?? 0;
    expect(run.sim.trace.some((e) => e.seq < back && e.kind === "state" && (e.view as { learned?: unknown }).learned != null)).toBe(false);
    expect(learnedAt(run, 2)).toBe("x=42");
  });

  labelTests(scenario("minority-alive"), {
    "case-3-minority": (s) => expect(s.sim.nodeIds.filter((id) => s.sim.isUp(id))).toEqual([2, 4]),
    "why-no-progress": (s) => {
      expect([2, 4].map((id) => view(s, id)?.learned)).toEqual([undefined, undefined]);
      expect(s.note.text).toContain(`${view(s, 2)?.proposer.attempts} rounds`);
    },
    "majority-back": (s) => expect(s.sim.nodeIds.filter((id) => s.sim.isUp(id))).toEqual([0, 2, 4]),
    chosen: (s) => {
      expect(view(s, 2)?.learned).toBe("x=42");
      expect([0, 2, 4].map((id) => view(s, id)?.acceptor.accepted?.v)).toEqual(["x=42", "x=42", "x=42"]);
    },
  });
});

describe("lesson 3, case 4: a chosen value survives", () => {
  it("makes the late proposer adopt x=42", () => {
    const run = checkScenario(scenario("chosen-survives"), 1);
    expect(run.sim.violation).toBeUndefined();
    const late = run.sim.node<BasicPaxosNode>(4)?.inspect();
    expect(late?.proposer.ownValue).toBe("y=7");
    expect(late?.proposer.proposing).toBe("x=42");
    expect(sends(run.sim.trace, "accept").some((e) => (e.msg as PaxosMessage & { v?: string }).v === "y=7")).toBe(false);
  });
  it("lets the checker catch the broken proposer that ignores accepted values", () => {
    const run = checkScenario(scenario("chosen-survives"), 1, "ignore-accepted");
    expect(run.sim.violation?.checker).toBe("Paxos: at most one value chosen");
    expect(run.sim.trace.some((e) => e.kind === "violation")).toBe(true);
  });

  const split = (s: LabelState) => expect(s.sim.blockedLinks().length).toBeGreaterThan(0);
  const firstValue = (s: LabelState) => {
    expect([0, 1, 2].map((id) => view(s, id)?.acceptor.accepted?.v)).toEqual(["x=42", "x=42", "x=42"]);
    expect([3, 4].map((id) => view(s, id)?.acceptor.accepted)).toEqual([undefined, undefined]);
  };
  const competing = (s: LabelState) => {
    expect(s.sim.blockedLinks()).toEqual([]);
    expect(view(s, 4)?.proposer.ownValue).toBe("y=7");
  };
  labelTests(scenario("chosen-survives"), {
    "case-4-chosen-survives": split,
    "first-value": firstValue,
    "competing-proposer": competing,
    adopt: (s) => {
      expect(view(s, 4)?.proposer.phase).toBe("accept");
      expect(view(s, 4)?.proposer.proposing).toBe("x=42");
    },
  });
  labelTests(
    scenario("chosen-survives"),
    {
      "case-4-chosen-survives": split,
      "first-value": firstValue,
      "competing-proposer": competing,
      adopt: (s) => expect(view(s, 4)?.proposer.proposing).toBe("y=7"),
    },
    { seed: 1, variant: "ignore-accepted" },
  );
});
