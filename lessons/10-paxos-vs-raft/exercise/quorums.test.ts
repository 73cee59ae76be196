// Graded suite for exercise 10: the Flexible Paxos quorum check alone, and deciding which quorum sizes Multi-Paxos clusters run with.

import type { QuorumCheck, QuorumSystem } from "@course/paxos";
import { gradedSuite } from "../../grading/graded.js";
import { fail, frozen } from "../../grading/failure.js";
import { expectedVerdict, truthOf, verdictProblem } from "../../grading/quorum-oracle.js";
import { configForSeed, runAdmitted, runFlexibleRandom, runSplitBrain } from "../../grading/clusters/flexible-paxos.js";
import { quorumsExercise } from "./exercise.js";

const RULE = "Flexible Paxos (Howard, Malkhi and Spiegelman 2016): every phase-1 quorum must share a node with every phase-2 quorum";
const size = (n: number): QuorumSystem => frozen({ size: n });
const sets = (...listed: number[][]): QuorumSystem => frozen({ sets: listed });

/** Any correct verdict passes: a `disjoint` one may name any phase-1 and phase-2 quorums that share no node. */
function expectVerdict(got: QuorumCheck, nodes: number, phase1: QuorumSystem, phase2: QuorumSystem, hint?: string): void {
  const problem = verdictProblem(nodes, phase1, phase2, got);
  if (problem === undefined) return;
  const truth = truthOf(nodes, phase1, phase2);
  const kind = truth.noQuorum.length > 0 ? "no-quorum" : truth.disjoint ? "disjoint" : "ok";
  // The right kind of verdict with wrong details (the phase, the evidence): the problem itself is the hint.
  const rightKind = (got.ok ? "ok" : got.reason) === kind;
  fail({ rule: RULE, input: { nodes, phase1, phase2 }, hint: rightKind ? `the verdict is right but its details are not: ${problem}` : (hint ?? problem) }, expectedVerdict(truth), JSON.stringify(got));
}

gradedSuite(quorumsExercise, (g) => {
  g.unit(1, "sizes: majorities of five, 3 and 3, always meet", ({ checkQuorums }) => {
    expectVerdict(checkQuorums(5, size(3), size(3)), 5, size(3), size(3));
  });

  g.unit(3, "sizes: 3 and 2 of five add up to N and can miss each other", ({ checkQuorums }) => {
    expectVerdict(checkQuorums(5, size(3), size(2)), 5, size(3), size(2), "nodes 0, 1, 2 and nodes 3, 4 are quorums with nothing in common: the sizes must add up to MORE than N");
    expectVerdict(checkQuorums(4, size(2), size(2)), 4, size(2), size(2));
  });

  g.unit(3, "sizes: 4 and 2 of five are safe though two phase-2 quorums of 2 can miss each other", ({ checkQuorums }) => {
    expectVerdict(checkQuorums(5, size(4), size(2)), 5, size(4), size(2), "only phase 1 must meet phase 2; two phase-2 quorums never need to meet");
    expectVerdict(checkQuorums(5, size(2), size(4)), 5, size(2), size(4), "only phase 1 must meet phase 2; two phase-1 quorums never need to meet");
  });

  g.unit(2, "sizes: the extremes 5 and 1, 1 and 5 are safe; 4 and 1 are not", ({ checkQuorums }) => {
    expectVerdict(checkQuorums(5, size(5), size(1)), 5, size(5), size(1));
    expectVerdict(checkQuorums(5, size(1), size(5)), 5, size(1), size(5));
    expectVerdict(checkQuorums(5, size(4), size(1)), 5, size(4), size(1));
  });

  g.unit(2, "sizes: a cluster of one node, and of two", ({ checkQuorums }) => {
    expectVerdict(checkQuorums(1, size(1), size(1)), 1, size(1), size(1), "one node is the whole cluster: it is in every quorum");
    expectVerdict(checkQuorums(2, size(1), size(1)), 2, size(1), size(1));
    expectVerdict(checkQuorums(2, size(2), size(1)), 2, size(2), size(1));
  });

  g.unit(2, "sizes: a size above the cluster leaves that phase with no quorum", ({ checkQuorums }) => {
    expectVerdict(checkQuorums(3, size(4), size(1)), 3, size(4), size(1), "4 + 1 > 3, yet no set of 3 nodes has 4 members: phase 1 could never finish");
    expectVerdict(checkQuorums(3, size(1), size(4)), 3, size(1), size(4));
  });

  g.unit(2, "sizes: size 0 makes the empty set a quorum, which meets nothing", ({ checkQuorums }) => {
    expectVerdict(checkQuorums(5, size(0), size(5)), 5, size(0), size(5), "a phase that needs no node at all completes without hearing from anyone");
    expectVerdict(checkQuorums(5, size(5), size(0)), 5, size(5), size(0));
  });

  g.unit(3, "sets: rows and columns of a 2 by 2 grid always meet, though 2 + 2 is not more than 4", ({ checkQuorums }) => {
    const rows = sets([0, 1], [2, 3]);
    const columns = sets([0, 2], [1, 3]);
    expectVerdict(checkQuorums(4, rows, columns), 4, rows, columns, "compare the sets themselves: every row shares a node with every column");
    const rows6 = sets([0, 1, 2], [3, 4, 5]);
    const columns6 = sets([0, 3], [1, 4], [2, 5]);
    expectVerdict(checkQuorums(6, rows6, columns6), 6, rows6, columns6);
  });

  g.unit(2, "sets: one pair that misses each other is enough, wherever it is listed", ({ checkQuorums }) => {
    const p1 = sets([0, 1, 2], [2, 3, 4]);
    const p2 = sets([0, 2], [1, 3], [3, 4]);
    expectVerdict(checkQuorums(5, p1, p2), 5, p1, p2, "look at every phase-1 set against every phase-2 set");
    const safe = sets([0, 2], [1, 3], [2, 4]);
    expectVerdict(checkQuorums(5, p1, safe), 5, p1, safe);
  });

  g.unit(2, "sets: a node listed twice in a set counts once", ({ checkQuorums }) => {
    const listed = sets([0, 0, 1, 1, 2]);
    expectVerdict(checkQuorums(5, size(2), listed), 5, size(2), listed, "[0, 0, 1, 1, 2] is the set {0, 1, 2}: nodes 3 and 4 form a phase-1 quorum outside it");
    expectVerdict(checkQuorums(5, listed, size(3)), 5, listed, size(3));
  });

  g.unit(2, "sets: a listed set against a size", ({ checkQuorums }) => {
    expectVerdict(checkQuorums(5, sets([0, 1, 2]), size(3)), 5, sets([0, 1, 2]), size(3), "only 2 nodes lie outside {0, 1, 2}, so every phase-2 quorum of 3 meets it");
    expectVerdict(checkQuorums(5, size(2), sets([1, 2, 3])), 5, size(2), sets([1, 2, 3]), "nodes 0 and 4 lie outside {1, 2, 3}");
    expectVerdict(checkQuorums(5, sets([0, 1, 2], [2, 3, 4]), size(3)), 5, sets([0, 1, 2], [2, 3, 4]), size(3));
  });

  g.unit(1, "sets: node 0 is a node like any other", ({ checkQuorums }) => {
    expectVerdict(checkQuorums(3, sets([0]), sets([0, 1], [0, 2])), 3, sets([0]), sets([0, 1], [0, 2]));
    expectVerdict(checkQuorums(1, sets([0]), size(1)), 1, sets([0]), size(1));
  });

  g.unit(2, "sets: an empty list has no quorum; an empty set in the list is a quorum that meets nothing", ({ checkQuorums }) => {
    expectVerdict(checkQuorums(4, sets(), size(4)), 4, sets(), size(4), "no quorum is listed: phase 1 could never finish");
    expectVerdict(checkQuorums(4, size(1), sets()), 4, size(1), sets());
    expectVerdict(checkQuorums(3, sets([]), sets([0, 1, 2])), 3, sets([]), sets([0, 1, 2]), "the empty set is listed as a quorum: it has no node in common with anything");
  });

  g.simulation(8, "a network split: quorum sizes your check lets a cluster run with keep one value per slot", {
    protocol: "multi-paxos",
    seeds: 20,
    hint: "the failure names the configuration. Two values chosen in one slot means checkQuorums let through quorum sizes that can miss each other: with |Q1| + |Q2| at most N, the side of the split without the old leader can run phase 1 alone",
    run: (impl, run) => runAdmitted(run, impl.checkQuorums, runSplitBrain),
  });

  g.simulation(6, "random crashes, partitions and loss on 2 to 7 replicas with the quorum sizes your check lets through", {
    protocol: "multi-paxos",
    seeds: 20,
    hint: "the seed's configuration is in the message: compare your verdict with what every phase-1 and phase-2 quorum of those sizes do",
    run: (impl, run) => runAdmitted(run, impl.checkQuorums, runFlexibleRandom, configForSeed(run.seed, 2)),
  });
  g.exhaustive(6, "exhaustive search: every quorum size pair on 3 replicas your check lets through, a leader change 3 steps deep");
});
