// Graded suite for exercise 4: the new leader's merge of phase-1 promises, alone and through leader changes under faults.

import type { Ballot, ClientCommand, Command, MPromise } from "@course/paxos";
import { gradedSuite } from "../../grading/graded.js";
import { expectRule, frozen } from "../../grading/failure.js";
import { runMultiPaxos } from "../../grading/clusters/multi-paxos.js";
import { mergeExercise } from "./exercise.js";

const b = (round: number, node: number): Ballot => ({ round, node });
/** A client command by its op; each distinct op is its own command (alice's next number). */
const numbers = new Map<string, number>();
const cmd = (op: string): ClientCommand => {
  if (!numbers.has(op)) numbers.set(op, numbers.size + 1);
  return { client: "alice", seq: numbers.get(op) as number, op };
};
const N = b(9, 0);
const promise = (accepted: [number, Ballot, Command][], from = 1): MPromise => ({ type: "promise", n: N, from, accepted: accepted.map(([slot, n, v]) => [slot, { n, v }] as const) });
const RULE = "Multi-Paxos takeover (Paxos Made Simple §3): per slot adopt the highest-numbered accepted value; fill gaps with no-ops";

gradedSuite(mergeExercise, (g) => {
  g.unit(1, "§3: nothing accepted anywhere: nothing to re-propose, new commands start at fromSlot", ({ mergePhase1 }) => {
    const promises = frozen([promise([]), promise([]), promise([])]);
    expectRule({ rule: RULE, input: { promises, fromSlot: 1 } }, mergePhase1(promises, 1), { proposals: [], nextSlot: 1 });
  });

  g.unit(2, "§3: a value one acceptor reported is re-proposed in its slot", ({ mergePhase1 }) => {
    const promises = frozen([promise([[1, b(1, 2), cmd("x")]]), promise([]), promise([])]);
    expectRule({ rule: RULE, input: { promises, fromSlot: 1 }, hint: "'x' may be chosen already: the new leader must finish what the old one started" }, mergePhase1(promises, 1), { proposals: [[1, cmd("x")]], nextSlot: 2 });
  });

  g.unit(3, "§3: two values reported for one slot: the higher-numbered proposal wins", ({ mergePhase1 }) => {
    const promises = frozen([promise([[1, b(1, 1), cmd("old")]]), promise([[1, b(3, 2), cmd("new")]]), promise([[1, b(2, 4), cmd("mid")]])]);
    expectRule({ rule: RULE, input: { promises, fromSlot: 1 }, hint: "as in Basic Paxos, per slot: only the highest-numbered accepted proposal can be the chosen one" }, mergePhase1(promises, 1), { proposals: [[1, cmd("new")]], nextSlot: 2 });
  });

  g.unit(3, "§3: a slot nobody reported between reported slots becomes a no-op", ({ mergePhase1 }) => {
    const promises = frozen([promise([[1, b(1, 1), cmd("a")]]), promise([[3, b(1, 1), cmd("c")]]), promise([])]);
    expectRule({ rule: RULE, input: { promises, fromSlot: 1 }, hint: "slot 2 may never have been accepted by anyone: propose null (a no-op) there so slot 3 can be applied" }, mergePhase1(promises, 1), { proposals: [[1, cmd("a")], [2, null], [3, cmd("c")]], nextSlot: 4 });
  });

  g.unit(2, "§3: slots below fromSlot are already decided and ignored", ({ mergePhase1 }) => {
    const promises = frozen([promise([[2, b(1, 1), cmd("old")], [5, b(2, 3), cmd("e")]], 4), promise([], 4)]);
    expectRule({ rule: RULE, input: { promises, fromSlot: 4 } }, mergePhase1(promises, 4), { proposals: [[4, null], [5, cmd("e")]], nextSlot: 6 });
  });

  g.unit(2, "§3: nothing reported from fromSlot on: new commands start at fromSlot, however far the log already is", ({ mergePhase1 }) => {
    const promises = frozen([promise([], 5), promise([], 5), promise([], 5)]);
    expectRule(
      { rule: RULE, input: { promises, fromSlot: 5 }, hint: "the highest slot to look at starts below fromSlot, not at 0: slots 1-4 are decided, a new command there would give them a second value" },
      mergePhase1(promises, 5),
      { proposals: [], nextSlot: 5 },
    );
  });

  g.unit(1, "§3: a leader of an empty log (fromSlot 0) starts at slot 0", ({ mergePhase1 }) => {
    const promises = frozen([promise([], 0), promise([], 0)]);
    expectRule({ rule: RULE, input: { promises, fromSlot: 0 }, hint: "slot 0 is the first slot: there is no gap to fill before it" }, mergePhase1(promises, 0), { proposals: [], nextSlot: 0 });
  });

  g.unit(2, "§3: new commands go after the highest slot any promise mentions", ({ mergePhase1 }) => {
    const promises = frozen([promise([[7, b(2, 2), cmd("g")]]), promise([[6, b(1, 0), cmd("f")]])]);
    const got = mergePhase1(promises, 6);
    expectRule({ rule: RULE, input: { promises, fromSlot: 6 }, hint: "a new command in a slot that is being re-proposed would give that slot two values" }, got.nextSlot, 8);
  });

  g.unit(1, "§3: a no-op reported as accepted is re-proposed as a no-op", ({ mergePhase1 }) => {
    const promises = frozen([promise([[1, b(2, 1), null], [2, b(2, 1), cmd("b")]]), promise([[1, b(1, 0), cmd("stale")]])]);
    expectRule({ rule: RULE, input: { promises, fromSlot: 1 } }, mergePhase1(promises, 1), { proposals: [[1, null], [2, cmd("b")]], nextSlot: 3 });
  });

  g.unit(1, "§3: the proposals come in slot order", ({ mergePhase1 }) => {
    const promises = frozen([promise([[3, b(1, 0), cmd("c")], [1, b(1, 0), cmd("a")]]), promise([[2, b(1, 0), cmd("b")]])]);
    const got = mergePhase1(promises, 1);
    expectRule({ rule: RULE, input: { promises, fromSlot: 1 } }, got.proposals.map((p) => p[0]), [1, 2, 3]);
  });

  g.simulation(8, "leader changes under crashes and partitions keep every slot's value and fill every hole", {
    protocol: "multi-paxos",
    seeds: 40,
    hint: "look at the first leader change before the violation: compare what the promises reported with the accepts the new leader sent",
    run: (impl, run) => runMultiPaxos(run, impl),
  });

  g.simulation(6, "lossy links and many commands leave holes and half-accepted slots that every new leader must settle", {
    protocol: "multi-paxos",
    seeds: 40,
    hint: "a slot some acceptors accepted at different ballots must keep the highest one's value; a slot nobody reported must get a no-op, or the log stops there",
    run: (impl, run) => runMultiPaxos(run, impl, { crashRate: 3, drop: 0.3, commands: [30, 50] }),
  });
  g.exhaustive(4, "exhaustive search: new leaders after a chosen command, with a new command, with a slot nobody reported, and a third leader that sees two proposals for one slot; every order of the next deliveries");
});
