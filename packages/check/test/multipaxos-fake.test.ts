// The Multi-Paxos checker against hand-driven fake replicas: each rule fires on exactly the state that breaks it.

import { describe, expect, it } from "vitest";
import { Simulation, type NodeFactory } from "@course/sim";
import type { Ballot, Command, MultiPaxosInspection, MultiPaxosMessage, MultiPaxosNode, SlotAccepted } from "@course/paxos";
import { multiPaxosChecker } from "../src/index.js";

/** What a test tells a fake replica to do, as a client op; a plain string is a client proposing that command. */
type FakeOp = string | { accept: [number, Ballot, Command] } | { promise: Ballot } | { apply: Command } | { persistLog: Command[] };

/** A replica that does nothing by itself: its state is whatever the test's client requests make it. */
const fakeReplica: NodeFactory<MultiPaxosMessage> = (start) => {
  let promised: Ballot | undefined;
  let accepted = new Map<number, SlotAccepted>();
  let log: Command[] = start.storage.get<Command[]>("log") ?? [];
  let version = 0;
  const node: MultiPaxosNode = {
    onMessage() {},
    onTimer() {},
    onClientRequest(request, ctx) {
      const op = request.op as FakeOp;
      if (typeof op === "string") return;
      if ("persistLog" in op) return ctx.persist("log", op.persistLog);
      if ("accept" in op) accepted = new Map(accepted).set(op.accept[0], { n: op.accept[1], v: op.accept[2] });
      else if ("promise" in op) promised = op.promise;
      else log = [...log, op.apply];
      version++;
    },
    inspect(): MultiPaxosInspection {
      return { role: "follower", acceptor: promised === undefined ? { accepted } : { promised, accepted }, log, chosenAhead: new Map(), gcBelow: 0, version, pending: 0, promisedBy: [] };
    },
  };
  return node;
};

function fakes(ops: Array<[number, FakeOp]>) {
  const sim = new Simulation<MultiPaxosMessage>({ seed: 1, nodes: [0, 1, 2, 3, 4], createNode: fakeReplica, hooks: [multiPaxosChecker()], record: false });
  sim.request(0, "a");
  sim.request(0, "b");
  for (const [node, op] of ops) {
    if (!sim.stopped) sim.request(node, op);
  }
  return sim;
}

const n1: Ballot = { round: 1, node: 0 };
const n2: Ballot = { round: 2, node: 1 };
const chooseA: Array<[number, FakeOp]> = [0, 1, 2].map((id) => [id, { accept: [0, n1, "a"] }]);

describe("multiPaxosChecker rules, one by one", () => {
  it("accepts a consistent history", () => {
    expect(fakes([...chooseA, [3, { apply: "a" }], [4, { apply: "a" }]]).violation).toBeUndefined();
  });
  it("two replicas applying different commands in one slot", () => {
    // Replica 4's log is ['b'] while replica 3's is ['a']: the second apply contradicts the first.
    const sim = fakes([...chooseA, [3, { apply: "a" }], [4, { apply: "b" }]]);
    expect(sim.violation?.checker).toBe("Multi-Paxos: replicas apply the same command per slot");
  });
  it("applying a command no majority accepted", () => {
    expect(fakes([[0, { accept: [0, n1, "a"] }], [3, { apply: "a" }]]).violation?.checker).toBe("Multi-Paxos: apply only chosen commands");
  });
  it("one number carrying two commands in a slot", () => {
    expect(fakes([[0, { accept: [0, n1, "a"] }], [1, { accept: [0, n1, "b"] }]]).violation?.checker).toBe("Paxos: one value per ballot");
  });
  it("a second command chosen in a chosen slot", () => {
    const sim = fakes([...chooseA, ...[2, 3, 4].map((id): [number, FakeOp] => [id, { accept: [0, n2, "b"] }])]);
    expect(sim.violation?.checker).toBe("Paxos: at most one value chosen");
  });
  it("an accept below a promise the acceptor made", () => {
    expect(fakes([[0, { promise: n2 }], [0, { accept: [0, n1, "a"] }]]).violation?.checker).toBe("Paxos: no accept below a promise");
  });
  it("a chosen command no client proposed", () => {
    expect(fakes([[0, { accept: [0, n1, "ghost"] }], [1, { accept: [0, n1, "ghost"] }], [2, { accept: [0, n1, "ghost"] }]]).violation?.checker).toBe("Paxos: only a proposed value is chosen");
  });
});

describe("multiPaxosChecker across restarts", () => {
  it("checks the whole log of a restarted replica, not only what lies past its old length", () => {
    // Replica 3 applies 'a' in slot 0 but its disk says 'b' (a broken write): it comes back from a restart with ['b'].
    const sim = fakes([...chooseA, [3, { apply: "a" }], [3, { persistLog: ["b"] }]]);
    expect(sim.violation).toBeUndefined();
    sim.apply({ type: "crash", node: 3 });
    sim.apply({ type: "restart", node: 3 });
    expect(sim.violation?.checker).toBe("Multi-Paxos: replicas apply the same command per slot");
  });
});
