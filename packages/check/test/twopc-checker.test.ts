// The 2PC atomicity checker fires on deliberately broken coordinators and participants.

import { describe, expect, it } from "vitest";
import { Simulation, type ScheduledFault } from "@course/sim";
import { createTwoPcNode, twoPcMutants, type TwoPcMessage, type TwoPcNode, type TwoPcNodeOptions } from "@course/twopc";
import { runTwoPcRandom, twoPcChecker, type RandomRunOptions } from "../src/index.js";

const NODES = [0, 1, 2, 3, 4];

function scripted(options: TwoPcNodeOptions, faults: ScheduledFault[] = []) {
  const sim = new Simulation<TwoPcMessage>({
    seed: 1,
    nodes: NODES,
    network: { latency: { kind: "fixed", ms: 5 } },
    createNode: createTwoPcNode(options),
    requests: [{ at: 0, node: 0, op: "t1" }],
    faults,
    hooks: [twoPcChecker()],
    record: false,
  });
  sim.runUntilTime(1000);
  return sim;
}

const states = (sim: Simulation<TwoPcMessage>) => [1, 2, 3, 4].map((id) => sim.node<TwoPcNode>(id)?.inspect().txns.t1);

describe("twoPcChecker", () => {
  it("stays quiet when one no vote aborts everyone", () => {
    const sim = scripted({ votesNo: [4] });
    expect(sim.violation).toBeUndefined();
    expect(states(sim)).toEqual(["aborted", "aborted", "aborted", "aborted"]);
  });

  it("fires when the coordinator commits on a majority of yes votes", () => {
    const sim = scripted({ votesNo: [4], rules: twoPcMutants.commitOnMajority.rules });
    expect(sim.violation?.checker).toBe("2PC: atomicity");
  });

  it("fires when a prepared participant aborts alone after a restart", () => {
    // Participant 1 votes yes at 5 ms, crashes before the commit arrives (15 ms) and restarts at 20 ms.
    const faults: ScheduledFault[] = [
      { at: 8, action: { type: "crash", node: 1 } },
      { at: 20, action: { type: "restart", node: 1 } },
    ];
    const good = scripted({}, faults);
    expect(good.violation).toBeUndefined();
    expect(states(good)).toEqual(["committed", "committed", "committed", "committed"]);
    expect(scripted({ rules: twoPcMutants.abortWhenInDoubt.rules }, faults).violation?.checker).toBe("2PC: atomicity");
  });

  it("fires when a restarted coordinator presumes commit", () => {
    // Participant 4 votes no; the coordinator crashes before the votes arrive and forgets the transaction.
    const faults: ScheduledFault[] = [
      { at: 7, action: { type: "crash", node: 0 } },
      { at: 300, action: { type: "restart", node: 0 } },
    ];
    const good = scripted({ votesNo: [4] }, faults);
    expect(good.violation).toBeUndefined();
    expect(states(good)).toEqual(["aborted", "aborted", "aborted", "aborted"]);
    expect(scripted({ votesNo: [4], rules: twoPcMutants.presumeCommit.rules }, faults).violation?.checker).toBe("2PC: atomicity");
  });
});

describe("twoPcChecker: a commit needs every participant's yes", () => {
  // A coordinator that takes silence for consent: on the time-out it commits unless someone said no.
  const commitOnSilence: TwoPcNodeOptions["rules"] = {
    decide: (votes, participants, timedOut) => {
      if ([...votes.values()].some((yes) => !yes)) return "abort";
      return timedOut || participants.every((p) => votes.get(p) === true) ? "commit" : undefined;
    },
  };
  // The link to participant 4 is down until after the vote time-out: 4 never hears the prepare, only the decision.
  const faults: ScheduledFault[] = [
    { at: 0, action: { type: "cut", from: 0, to: 4 } },
    { at: 150, action: { type: "heal", from: 0, to: 4 } },
  ];

  it("stays quiet when the coordinator aborts for the missing vote", () => {
    const good = scripted({}, faults);
    expect(good.violation).toBeUndefined();
    expect(states(good)).toEqual(["aborted", "aborted", "aborted", "aborted"]);
  });

  it("fires when the coordinator commits without participant 4's vote, though no one aborts", () => {
    const bad = scripted({ rules: commitOnSilence }, faults);
    expect(bad.violation?.checker).toBe("2PC: commit needs every yes vote");
    expect(bad.violation?.message).toMatch(/participant\(s\) 4 never voted yes/);
  });
});

const CRASHY: RandomRunOptions<TwoPcNodeOptions> = { nemesis: { rates: { crash: 6, partition: 1, cut: 1, lossy: 0.5 }, duration: { min: 10, max: 150 } } };

describe("randomized runs catch every 2PC mutant", () => {
  it("finds nothing wrong with the reference under the same harsh settings (so a catch is no false alarm)", () => {
    const bad: string[] = [];
    for (let seed = 1; seed <= 300; seed++) {
      const r = runTwoPcRandom(seed, CRASHY);
      if (r.violation || !r.live) bad.push(`seed ${seed}: ${r.report ?? "not live"}`);
    }
    expect(bad, bad.join("\n")).toEqual([]);
  }, 30_000);

  for (const [name, mutant] of Object.entries(twoPcMutants)) {
    it(`catches ${name}: ${mutant.description}`, () => {
      let caught: number | undefined;
      for (let seed = 1; seed <= 500 && caught === undefined; seed++) {
        if (runTwoPcRandom(seed, { ...CRASHY, node: { rules: mutant.rules } }).violation) caught = seed;
      }
      expect(caught, `no seed in 1-500 exposed ${name}`).toBeDefined();
    });
  }
});
