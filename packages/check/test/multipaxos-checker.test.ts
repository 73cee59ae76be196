// The Multi-Paxos checker fires on deliberately broken replicas, scripted and found by random search.

import { describe, expect, it } from "vitest";
import { Simulation, type ScheduledFault, type ScheduledRequest } from "@course/sim";
import { createMultiPaxosNode, multiPaxosMutants, type Command, type MultiPaxosMessage, type MultiPaxosNode, type MultiPaxosRules } from "@course/paxos";
import { multiPaxosChecker, runMultiPaxosRandom, type MultiPaxosRandomOptions } from "../src/index.js";

const NODES = [0, 1, 2, 3, 4];

function scripted(rules: Partial<MultiPaxosRules> | undefined, requests: ScheduledRequest[], faults: ScheduledFault[] = [], until = 1000) {
  const sim = new Simulation<MultiPaxosMessage>({
    seed: 1,
    nodes: NODES,
    network: { latency: { kind: "fixed", ms: 5 } },
    createNode: createMultiPaxosNode({ rules, initialLeader: 0 }),
    requests,
    faults,
    hooks: [multiPaxosChecker()],
    record: false,
  });
  sim.runUntilTime(until);
  return sim;
}

const COMMANDS: ScheduledRequest[] = ["a", "b", "c"].map((op, i) => ({ at: 50 + 20 * i, node: 0, op: { op, seq: i + 1 }, client: "alice" }));
const ops = (log: readonly Command[] | undefined) => log?.map((c) => c?.op ?? null);

describe("multiPaxosChecker on scripted runs", () => {
  it("stays quiet on reference replicas, which all apply the same log", () => {
    const sim = scripted(undefined, COMMANDS);
    expect(sim.violation).toBeUndefined();
    for (const id of NODES) expect(ops(sim.node<MultiPaxosNode>(id)?.inspect().log)).toEqual(["a", "b", "c"]);
  });

  it("fires when a replica applies a slot that one acceptor accepted", () => {
    const sim = scripted(multiPaxosMutants.learnFromOne.rules, COMMANDS);
    expect(sim.violation?.checker).toBe("Multi-Paxos: apply only chosen commands");
  });

  it("fires when a new leader overwrites a chosen slot with a no-op", () => {
    // 'b' is chosen at slot 1 while node 1 is cut off; then the leader crashes and node 1, with the shortest
    // election timeout, leads next without knowing slot 1.
    const faults: ScheduledFault[] = [
      { at: 60, action: { type: "isolate", node: 1 } },
      { at: 120, action: { type: "crash", node: 0 } },
      { at: 121, action: { type: "heal" } },
    ];
    const requests: ScheduledRequest[] = [
      { at: 20, node: 0, op: { op: "a", seq: 1 }, client: "alice" },
      { at: 70, node: 0, op: { op: "b", seq: 2 }, client: "alice" },
    ];
    const run = (rules: Partial<MultiPaxosRules> | undefined) => {
      const sim = new Simulation<MultiPaxosMessage>({
        seed: 1,
        nodes: NODES,
        network: { latency: { kind: "fixed", ms: 5 } },
        createNode: (ctx) => createMultiPaxosNode({ rules, initialLeader: 0, electionTimeout: ctx.id === 1 ? 40 : 400 })(ctx),
        requests,
        faults,
        hooks: [multiPaxosChecker()],
        record: false,
      });
      sim.runUntilTime(2000);
      return sim;
    };
    const good = run(undefined);
    expect(good.violation).toBeUndefined();
    expect(ops(good.node<MultiPaxosNode>(1)?.inspect().log)).toEqual(["a", "b"]);
    expect(run(multiPaxosMutants.noOpEverything.rules).violation?.checker).toBe("Paxos: at most one value chosen");
  });
});

const CRASHY: MultiPaxosRandomOptions = { nemesis: { rates: { crash: 6, partition: 1, cut: 1, lossy: 0.5 }, duration: { min: 10, max: 150 } } };

describe("randomized runs catch every Multi-Paxos mutant", () => {
  it("finds nothing wrong with the reference under the same harsh settings (so a catch is no false alarm)", () => {
    const bad: string[] = [];
    for (let seed = 1; seed <= 100; seed++) {
      const r = runMultiPaxosRandom(seed, CRASHY);
      if (r.violation || !r.live) bad.push(`seed ${seed}: ${r.report ?? "not live"}`);
    }
    expect(bad, bad.join("\n")).toEqual([]);
  }, 30_000);

  for (const [name, mutant] of Object.entries(multiPaxosMutants)) {
    it(`catches ${name}: ${mutant.description}`, () => {
      let caught: number | undefined;
      for (let seed = 1; seed <= 300 && caught === undefined; seed++) {
        if (runMultiPaxosRandom(seed, { ...CRASHY, node: { rules: mutant.rules } }).violation) caught = seed;
      }
      expect(caught, `no seed in 1-300 exposed ${name}`).toBeDefined();
    }, 30_000);
  }
});
