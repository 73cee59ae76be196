// The Basic Paxos checker fires on deliberately broken nodes, scripted and found by random search, and stays quiet on the real one.

import { describe, expect, it } from "vitest";
import { Simulation, type ScheduledFault, type ScheduledRequest } from "@course/sim";
import { createPaxosNode, paxosMutants, type PaxosMessage, type PaxosRules } from "@course/paxos";
import { paxosChecker, runPaxosRandom, type RandomRunOptions } from "../src/index.js";
import type { PaxosNodeOptions } from "@course/paxos";

const FIXED = { latency: { kind: "fixed", ms: 5 } } as const;
const NODES = [0, 1, 2, 3, 4];

function scripted(rules: Partial<PaxosRules> | undefined, requests: ScheduledRequest[], faults: ScheduledFault[] = [], until = 300) {
  const sim = new Simulation<PaxosMessage>({ seed: 1, nodes: NODES, network: FIXED, createNode: createPaxosNode({ rules, phaseTimeout: 200 }), requests, faults, hooks: [paxosChecker()], record: false });
  sim.runUntilTime(until);
  return sim;
}

// Proposer 3 starts 1 ms after proposer 1, so its prepare (n=1.3) reaches every acceptor before proposer 1's accept (n=1.1).
const CROSSING: ScheduledRequest[] = [
  { at: 0, node: 1, op: "a" },
  { at: 1, node: 3, op: "b" },
];

describe("paxosChecker on scripted runs", () => {
  it("stays quiet on the reference acceptor when proposals cross", () => {
    const sim = scripted(undefined, CROSSING);
    expect(sim.violation).toBeUndefined();
    expect(sim.requests.filter((r) => r.replyAt !== undefined).length).toBe(2);
  });

  it("fires when an acceptor accepts below its promise", () => {
    const sim = scripted(paxosMutants.acceptBelowPromise.rules, CROSSING);
    expect(sim.violation?.checker).toBe("Paxos: no accept below a promise");
  });

  it("fires when an acceptor forgets its promise in a restart (and not when it persists it)", () => {
    // Acceptors 0, 2 and 4 promise n=1.3 at 6 ms, restart at 12-13 ms, and proposer 1's accept n=1.1 lands at 15 ms.
    const faults: ScheduledFault[] = [0, 2, 4].flatMap((node) => [
      { at: 12, action: { type: "crash", node } },
      { at: 13, action: { type: "restart", node } },
    ]);
    expect(scripted(undefined, CROSSING, faults).violation).toBeUndefined();
    const sim = scripted(paxosMutants.forgetPromise.rules, CROSSING, faults);
    expect(sim.violation?.checker).toBe("Paxos: no accept below a promise");
    expect(sim.violation?.message).toMatch(/accepted n=1\.1 after promising n=1\.3/);
  });

  it("fires when a proposer ignores an accepted value and a second value gets chosen", () => {
    // Node 3 is cut off while 'a' is chosen, so it has not learned it when its own client arrives.
    const faults: ScheduledFault[] = [
      { at: 0, action: { type: "isolate", node: 3 } },
      { at: 100, action: { type: "heal" } },
    ];
    const requests: ScheduledRequest[] = [
      { at: 0, node: 1, op: "a" },
      { at: 150, node: 3, op: "b" },
    ];
    const good = scripted(undefined, requests, faults);
    expect(good.violation).toBeUndefined();
    expect(good.requests[1]?.result).toEqual({ chosen: "a" });
    expect(scripted(paxosMutants.ignoreAcceptedValues.rules, requests, faults).violation?.checker).toBe("Paxos: at most one value chosen");
  });

  it("fires when two proposers share a proposal number", () => {
    const sim = scripted(paxosMutants.sharedProposalNumbers.rules, [
      { at: 0, node: 1, op: "a" },
      { at: 0, node: 3, op: "b" },
    ]);
    expect(sim.violation?.checker).toBe("Paxos: one value per ballot");
  });

  it("fires when a proposer makes up a value no client proposed", () => {
    const sim = scripted({ chooseValue: () => "forged" }, [{ at: 0, node: 1, op: "a" }]);
    expect(sim.violation?.checker).toBe("Paxos: only a proposed value is chosen");
  });

  it("fires when a learner learns from a single acceptor", () => {
    const sim = scripted(paxosMutants.learnOnFirstAccepted.rules, [{ at: 0, node: 1, op: "a" }]);
    expect(sim.violation?.checker).toBe("Paxos: learners learn the chosen value");
  });
});

/** Harsh settings for hunting rare bugs: many proposers, a lossy network, short and frequent faults. */
const HUNT: RandomRunOptions<PaxosNodeOptions> = {
  clients: [6, 9],
  network: { drop: 0.4 },
  nemesis: { rates: { partition: 3, crash: 2 }, duration: { min: 10, max: 100 } },
  faultsUntil: 3000,
};

describe("randomized runs catch every Basic Paxos mutant", () => {
  it("finds nothing wrong with the reference under the same harsh settings (so a catch is no false alarm)", () => {
    const bad: string[] = [];
    for (let seed = 1; seed <= 300; seed++) {
      const r = runPaxosRandom(seed, HUNT);
      if (r.violation || !r.live) bad.push(`seed ${seed}: ${r.report ?? "not live"}`);
    }
    expect(bad, bad.join("\n")).toEqual([]);
  }, 30_000);

  for (const [name, mutant] of Object.entries(paxosMutants)) {
    it(`catches ${name}: ${mutant.description}`, () => {
      let caught: number | undefined;
      for (let seed = 1; seed <= 1000 && caught === undefined; seed++) {
        if (runPaxosRandom(seed, { ...HUNT, node: { rules: mutant.rules } }).violation) caught = seed;
      }
      expect(caught, `no seed in 1-1000 exposed ${name}`).toBeDefined();
    });
  }
});
