// Graded suite for exercise 3: choosing the value to propose and the next proposal number, alone and under failures.

import { compareBallots, type Accepted, type Ballot } from "@course/paxos";
import { gradedSuite } from "../../grading/graded.js";
import { expectRule, fail, frozen } from "../../grading/failure.js";
import { preview } from "../../grading/impl.js";
import { runBasicPaxos, runRestartedProposer } from "../../grading/clusters/basic-paxos.js";
import { proposerExercise } from "./exercise.js";

const b = (round: number, node: number): Ballot => ({ round, node });
const acc = (round: number, node: number, v: string): { accepted: Accepted } => ({ accepted: { n: b(round, node), v } });
const CHOOSE = "Phase 2a (Paxos Made Simple §2.2): adopt the value of the highest-numbered accepted proposal among the promises, else your own";
const NEXT = "Phase 1a (Paxos Made Simple §2.2-2.3): a new number above your own rounds and every refusal, carrying your id";

/**
 * What makes a proposal number right, whatever scheme picks it: it carries the proposer's id (so no other proposer
 * can use it), its round is a whole number above every round this proposer used, and it is above every refusal.
 */
function expectNewNumber(got: Ballot, situation: { rejections: readonly Ballot[]; round: number; nodeId: number }, hint?: string): void {
  const check = { rule: NEXT, input: situation, ...(hint === undefined ? {} : { hint }) };
  if (got.node !== situation.nodeId) fail(check, `a ballot carrying the proposer's id (node: ${situation.nodeId})`, preview(got));
  if (!Number.isSafeInteger(got.round) || got.round <= situation.round) fail(check, `a whole round above ${situation.round}, the last round this proposer used`, preview(got));
  const beaten = situation.rejections.find((r) => compareBallots(got, r) <= 0);
  if (beaten !== undefined) fail(check, `a ballot above every refusal, including ${preview(beaten)}`, preview(got));
}

gradedSuite(proposerExercise, (g) => {
  g.unit(1, "phase 2a: with nothing accepted anywhere, propose your own value", ({ chooseValue }) => {
    const promises = frozen([{}, {}, {}]);
    expectRule({ rule: CHOOSE, input: { promises, ownValue: "mine" } }, chooseValue(promises, "mine"), "mine");
  });

  g.unit(2, "phase 2a: one promise reports an accepted value: adopt it", ({ chooseValue }) => {
    const promises = frozen([{}, acc(1, 2, "x"), {}]);
    expectRule({ rule: CHOOSE, input: { promises, ownValue: "mine" }, hint: "'x' may already be chosen by a majority you cannot see: proposing anything else could choose a second value" }, chooseValue(promises, "mine"), "x");
  });

  g.unit(3, "phase 2a: several accepted values: adopt the one with the highest proposal number", ({ chooseValue }) => {
    const promises = frozen([acc(1, 0, "old"), acc(3, 1, "newest"), acc(2, 4, "middle")]);
    expectRule({ rule: CHOOSE, input: { promises, ownValue: "mine" }, hint: "only the highest-numbered accepted proposal can be the chosen one; compare ballots, not positions in the array" }, chooseValue(promises, "mine"), "newest");
  });

  g.unit(2, "phase 2a: the order of the promises does not matter", ({ chooseValue }) => {
    const promises = frozen([acc(5, 2, "high"), acc(1, 0, "low"), {}]);
    expectRule({ rule: CHOOSE, input: { promises, ownValue: "mine" } }, chooseValue(promises, "mine"), "high");
  });

  g.unit(1, "phase 2a: equal rounds are ordered by node id", ({ chooseValue }) => {
    const promises = frozen([acc(2, 1, "from-1"), acc(2, 3, "from-3")]);
    expectRule({ rule: CHOOSE, input: { promises, ownValue: "mine" }, hint: "use compareBallots: round first, then node id" }, chooseValue(promises, "mine"), "from-3");
  });

  g.unit(1, "phase 1a: a fresh proposer gets a number above round 0 with its own id", ({ nextProposalNumber }) => {
    expectNewNumber(nextProposalNumber(frozen([]), 0, 3), { rejections: [], round: 0, nodeId: 3 });
  });

  g.unit(2, "phase 1a: never reuse a round you have already used", ({ nextProposalNumber }) => {
    expectNewNumber(nextProposalNumber(frozen([]), 4, 1), { rejections: [], round: 4, nodeId: 1 }, "a restarted proposer reads its last round from disk; reusing it could send two values with one number");
  });

  g.unit(2, "phase 1a: go above the highest promise that refused you", ({ nextProposalNumber }) => {
    const rejections = frozen([b(7, 2), b(3, 4)]);
    expectNewNumber(nextProposalNumber(rejections, 2, 0), { rejections, round: 2, nodeId: 0 }, "a nack names the promise it holds: a number at or below it is refused again");
  });

  g.unit(1, "phase 1a: a refusal below your own round does not pull the number down", ({ nextProposalNumber }) => {
    const rejections = frozen([b(2, 2)]);
    expectNewNumber(nextProposalNumber(rejections, 6, 4), { rejections, round: 6, nodeId: 4 });
  });

  g.unit(1, "phase 1a: a refusal that names your own id is beaten too", ({ nextProposalNumber }) => {
    const rejections = frozen([b(5, 2)]);
    expectNewNumber(nextProposalNumber(rejections, 3, 2), { rejections, round: 3, nodeId: 2 }, "ballot 5.2 was promised by an acceptor; the same round with the same id is the same number, not a higher one");
  });

  g.unit(2, "phase 1a: two proposers in the same situation get different numbers", ({ nextProposalNumber }) => {
    const rejections = frozen([b(3, 0)]);
    const a = nextProposalNumber(rejections, 1, 1);
    const c = nextProposalNumber(rejections, 1, 2);
    expectNewNumber(a, { rejections, round: 1, nodeId: 1 });
    expectNewNumber(c, { rejections, round: 1, nodeId: 2 });
    if (compareBallots(a, c) === 0) {
      fail({ rule: NEXT, input: { rejections, round: 1, nodeIds: [1, 2] }, hint: "numbers come from disjoint sets per proposer: put the proposer's id in the ballot" }, "two different ballots", `${preview(a)} for both`);
    }
  });

  g.simulation(6, "competing proposers under crashes and partitions choose one value", {
    protocol: "paxos",
    seeds: 40,
    hint: "find the proposer that sends accept with a value other than the highest-numbered accepted one it was told about, or with a number it used before",
    run: (impl, run) => runBasicPaxos(run, { rules: impl }),
  });

  g.simulation(4, "a proposer that restarts mid-round never reuses its proposal number", {
    protocol: "paxos",
    seeds: 3,
    fresh: 1,
    hint: "after the restart, which number does node 0's prepare carry? Its last round is on its disk",
    run: (impl, run) => runRestartedProposer(run, impl),
  });

  g.simulation(4, "restarting proposers and lost messages still agree and finish", {
    protocol: "paxos",
    seeds: 30,
    hint: "after a restart a proposer knows only its durable round: its next number must still be new",
    run: (impl, run) => runBasicPaxos(run, { rules: impl, rates: { crash: 3, lossy: 1 } }),
  });
  g.exhaustive(4, "exhaustive search: node 2 proposes after a value is chosen, node 0 retries after a rival's value is chosen, node 2 retries after a time-out; every order of the next deliveries");
});
