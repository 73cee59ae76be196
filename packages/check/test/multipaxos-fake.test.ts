// The Multi-Paxos checkers against hand-driven fake replicas: each rule fires on exactly the state that breaks it.

import { describe, expect, it } from "vitest";
import { Simulation, type Hook, type NodeFactory } from "@course/sim";
import type { Ballot, ClientCommand, Command, MultiPaxosInspection, MultiPaxosMessage, MultiPaxosNode, SlotAccepted } from "@course/paxos";
import { checkChosenOnceMultiPaxos, checkExactlyOnceMultiPaxos, multiPaxosChecker } from "../src/index.js";

/** What a test tells a fake replica to do, as a client op; `{ op, seq }` is alice proposing that command. */
type FakeOp =
  | { op: string; seq: number }
  | { accept: [number, Ballot, Command] }
  | { promise: Ballot }
  | { apply: Command }
  | { learnAhead: [number, Command] }
  | { execute: number }
  | { persistLog: Command[] };

const a: ClientCommand = { client: "alice", seq: 1, op: "a" };
const b: ClientCommand = { client: "alice", seq: 2, op: "b" };

/** A replica that does nothing by itself: its state is whatever the test's client requests make it. */
const fakeReplica: NodeFactory<MultiPaxosMessage> = (start) => {
  let promised: Ballot | undefined;
  let accepted = new Map<number, SlotAccepted>();
  let log: Command[] = start.storage.get<Command[]>("log") ?? [];
  let executed: number[] = [];
  let chosenAhead = new Map<number, Command>();
  let version = 0;
  const node: MultiPaxosNode = {
    onMessage() {},
    onTimer() {},
    onClientRequest(request, ctx) {
      const op = request.op as FakeOp;
      if ("seq" in op) return;
      if ("persistLog" in op) return ctx.persist("log", op.persistLog);
      if ("accept" in op) accepted = new Map(accepted).set(op.accept[0], { n: op.accept[1], v: op.accept[2] });
      else if ("promise" in op) promised = op.promise;
      else if ("execute" in op) executed = [...executed, op.execute];
      else if ("learnAhead" in op) chosenAhead = new Map(chosenAhead).set(...op.learnAhead);
      else log = [...log, op.apply];
      version++;
    },
    inspect(): MultiPaxosInspection {
      return {
        role: "follower",
        acceptor: promised === undefined ? { accepted } : { promised, accepted },
        log,
        executed,
        sessions: new Map(),
        quorums: { phase1: 3, phase2: 3 },
        chosenAhead,
        gcBelow: 0,
        version,
        pending: 0,
        promisedBy: [],
      };
    },
  };
  return node;
};

function fakes(ops: Array<[number, FakeOp]>, hooks: Hook<MultiPaxosMessage>[] = [multiPaxosChecker()]) {
  const sim = new Simulation<MultiPaxosMessage>({ seed: 1, nodes: [0, 1, 2, 3, 4], createNode: fakeReplica, hooks, record: false });
  sim.request(0, { op: "a", seq: 1 }, "alice");
  sim.request(0, { op: "b", seq: 2 }, "alice");
  for (const [node, op] of ops) {
    if (!sim.stopped) sim.request(node, op);
  }
  return sim;
}

const n1: Ballot = { round: 1, node: 0 };
const n2: Ballot = { round: 2, node: 1 };
const chooseA: Array<[number, FakeOp]> = [0, 1, 2].map((id) => [id, { accept: [0, n1, a] }]);

describe("multiPaxosChecker rules, one by one", () => {
  it("accepts a consistent history", () => {
    expect(fakes([...chooseA, [3, { apply: a }], [4, { apply: a }]]).violation).toBeUndefined();
  });
  it("two replicas applying different commands in one slot", () => {
    // Replica 4's log is ['b'] while replica 3's is ['a']: the second apply contradicts the first.
    const sim = fakes([...chooseA, [3, { apply: a }], [4, { apply: b }]]);
    expect(sim.violation?.checker).toBe("Multi-Paxos: replicas apply the same command per slot");
  });
  it("applying a command no majority accepted", () => {
    expect(fakes([[0, { accept: [0, n1, a] }], [3, { apply: a }]]).violation?.checker).toBe("Multi-Paxos: apply only chosen commands");
  });
  it("one number carrying two commands in a slot", () => {
    expect(fakes([[0, { accept: [0, n1, a] }], [1, { accept: [0, n1, b] }]]).violation?.checker).toBe("Paxos: one value per ballot");
  });
  it("a second command chosen in a chosen slot", () => {
    const sim = fakes([...chooseA, ...[2, 3, 4].map((id): [number, FakeOp] => [id, { accept: [0, n2, b] }])]);
    expect(sim.violation?.checker).toBe("Paxos: at most one value chosen");
  });
  it("an accept below a promise the acceptor made", () => {
    expect(fakes([[0, { promise: n2 }], [0, { accept: [0, n1, a] }]]).violation?.checker).toBe("Paxos: no accept below a promise");
  });
  it("a chosen command no client proposed", () => {
    const ghost: ClientCommand = { client: "alice", seq: 3, op: "ghost" };
    expect(fakes([[0, { accept: [0, n1, ghost] }], [1, { accept: [0, n1, ghost] }], [2, { accept: [0, n1, ghost] }]]).violation?.checker).toBe("Paxos: only a proposed value is chosen");
  });
  it("a proposed op under another client's name counts as unproposed", () => {
    const forged: ClientCommand = { client: "mallory", seq: 1, op: "a" };
    expect(fakes([0, 1, 2].map((id): [number, FakeOp] => [id, { accept: [0, n1, forged] }])).violation?.checker).toBe("Paxos: only a proposed value is chosen");
  });
  it("compares commands by value: equal copies from different acceptors are one value", () => {
    const copies: Array<[number, FakeOp]> = [0, 1, 2].map((id) => [id, { accept: [0, n1, { ...a }] }]);
    expect(fakes([...copies, [3, { apply: { ...a } }]]).violation).toBeUndefined();
  });
});

describe("multiPaxosChecker across restarts", () => {
  it("checks the whole log of a restarted replica, not only what lies past its old length", () => {
    // Replica 3 applies 'a' in slot 0 but its disk says 'b' (a broken write): it comes back from a restart with ['b'].
    const sim = fakes([...chooseA, [3, { apply: a }], [3, { persistLog: [b] }]]);
    expect(sim.violation).toBeUndefined();
    sim.apply({ type: "crash", node: 3 });
    sim.apply({ type: "restart", node: 3 });
    expect(sim.violation?.checker).toBe("Multi-Paxos: replicas apply the same command per slot");
  });
});

describe("checkExactlyOnceMultiPaxos", () => {
  const exactlyOnce = () => [checkExactlyOnceMultiPaxos()];
  const twoCopies: Array<[number, FakeOp]> = [[3, { apply: a }], [3, { apply: a }]];

  it("stays quiet when a replica skips the second copy of a command", () => {
    expect(fakes([...twoCopies, [3, { execute: 0 }]], exactlyOnce()).violation).toBeUndefined();
  });
  it("fires when a replica executes a command's second copy", () => {
    const sim = fakes([...twoCopies, [3, { execute: 0 }], [3, { execute: 1 }]], exactlyOnce());
    expect(sim.violation?.checker).toBe("Multi-Paxos: each client command executed at most once");
    expect(sim.violation?.message).toBe("replica 3 executed 'a' (alice's #1) twice: in slot 0 and again in slot 1");
  });
  it("fires when two replicas execute one command in different slots", () => {
    const sim = fakes([...twoCopies, [4, { apply: a }], [4, { apply: a }], [3, { execute: 0 }], [4, { execute: 1 }]], exactlyOnce());
    expect(sim.violation?.message).toBe("replica 3 executed 'a' (alice's #1) in slot 0 but replica 4 executed it in slot 1: their state machines differ");
  });
  it("fires when a replica executes a no-op or a slot it has not applied", () => {
    expect(fakes([[3, { apply: null }], [3, { execute: 0 }]], exactlyOnce()).violation?.message).toBe("replica 3 executed slot 0, which holds no client command in its log");
    expect(fakes([[3, { execute: 0 }]], exactlyOnce()).violation?.checker).toBe("Multi-Paxos: each client command executed at most once");
  });
  it("reports each finding without stopping the run when asked to count", () => {
    const found: string[] = [];
    const sim = fakes([...twoCopies, [3, { execute: 0 }], [3, { execute: 1 }], [3, { apply: b }], [3, { execute: 2 }]], [checkExactlyOnceMultiPaxos({ report: (f) => found.push(f.message) })]);
    expect(sim.violation).toBeUndefined();
    expect(found).toEqual(["replica 3 executed 'a' (alice's #1) twice: in slot 0 and again in slot 1"]);
  });
  it("reads a restarted replica afresh: executing its log again is not executing twice", () => {
    const sim = fakes([[3, { apply: a }], [3, { execute: 0 }], [3, { persistLog: [a] }]], exactlyOnce());
    sim.apply({ type: "crash", node: 3 });
    sim.apply({ type: "restart", node: 3 });
    sim.request(3, { execute: 0 });
    expect(sim.violation).toBeUndefined();
  });
});

describe("checkChosenOnceMultiPaxos", () => {
  it("fires when a command is learned in two slots, applied or learned ahead of a hole", () => {
    expect(fakes([[3, { apply: a }], [3, { apply: b }]], [checkChosenOnceMultiPaxos()]).violation).toBeUndefined();
    const applied = fakes([[3, { apply: a }], [4, { apply: b }], [4, { apply: a }]], [checkChosenOnceMultiPaxos()]);
    expect(applied.violation?.checker).toBe("Multi-Paxos: each client command chosen in one slot");
    expect(applied.violation?.message).toBe("'a' (alice's #1) is chosen in slot 0 and again in slot 1");
    expect(fakes([[3, { apply: a }], [4, { learnAhead: [5, a] }]], [checkChosenOnceMultiPaxos()]).violation?.message).toBe("'a' (alice's #1) is chosen in slot 0 and again in slot 5");
  });
  it("reports each extra slot once when asked to count", () => {
    const found: string[] = [];
    fakes([[3, { apply: a }], [3, { apply: a }], [4, { apply: a }], [4, { apply: a }], [4, { apply: a }]], [checkChosenOnceMultiPaxos({ report: (f) => found.push(f.message) })]);
    expect(found).toEqual(["'a' (alice's #1) is chosen in slot 0 and again in slot 1", "'a' (alice's #1) is chosen in slot 0 and again in slot 2"]);
  });
});
