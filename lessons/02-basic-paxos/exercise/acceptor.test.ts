// Graded suite for exercise 2: the acceptor's Prepare and Accept rules, alone and inside a faulty five-node cluster.

import type { Accept, AcceptorState, Ballot, Prepare } from "@course/paxos";
import { gradedSuite } from "../../grading/graded.js";
import { expectRule, frozen } from "../../grading/failure.js";
import { runBasicPaxos } from "../../grading/clusters/basic-paxos.js";
import { acceptorExercise } from "./exercise.js";

const b = (round: number, node: number): Ballot => ({ round, node });
const prepare = (n: Ballot): Prepare => ({ type: "prepare", n });
const accept = (n: Ballot, v: string): Accept => ({ type: "accept", n, v });
const PREPARE_RULE = "Phase 1b (Paxos Made Simple §2.2): promise n unless a higher number was promised; report the highest accepted proposal";
const ACCEPT_RULE = "Phase 2b (Paxos Made Simple §2.2): accept (n, v) unless a number above n was promised";

gradedSuite(acceptorExercise, (g) => {
  g.unit(1, "phase 1b: a fresh acceptor promises the first prepare and reports nothing accepted", ({ onPrepare }) => {
    const state: AcceptorState = frozen({});
    const got = onPrepare(state, frozen(prepare(b(1, 0))));
    expectRule({ rule: PREPARE_RULE, input: { state, msg: prepare(b(1, 0)) } }, got, { state: { promised: b(1, 0) }, reply: { type: "promise", n: b(1, 0) } });
  });

  g.unit(1, "phase 1b: a higher prepare raises the promise", ({ onPrepare }) => {
    const state = frozen({ promised: b(1, 2) });
    const got = onPrepare(state, frozen(prepare(b(2, 0))));
    expectRule({ rule: PREPARE_RULE, input: { state, msg: prepare(b(2, 0)) } }, got, { state: { promised: b(2, 0) }, reply: { type: "promise", n: b(2, 0) } });
  });

  g.unit(2, "phase 1b: a prepare below the promise gets a nack naming the promise", ({ onPrepare }) => {
    const state = frozen({ promised: b(3, 1) });
    const got = onPrepare(state, frozen(prepare(b(2, 4))));
    expectRule(
      { rule: PREPARE_RULE, input: { state, msg: prepare(b(2, 4)) }, hint: "compare whole ballots with compareBallots: the round first, then the node id" },
      got,
      { state: { promised: b(3, 1) }, reply: { type: "nack", phase: "prepare", n: b(2, 4), promised: b(3, 1) } },
    );
  });

  g.unit(1, "phase 1b: the same round from a lower node id is below the promise", ({ onPrepare }) => {
    const state = frozen({ promised: b(2, 3) });
    const got = onPrepare(state, frozen(prepare(b(2, 1))));
    expectRule({ rule: PREPARE_RULE, input: { state, msg: prepare(b(2, 1)) }, hint: "ballots with the same round are ordered by node id" }, got.reply.type, "nack");
  });

  g.unit(1, "phase 1b: a repeated prepare with the promised number is promised again (duplicates are harmless)", ({ onPrepare }) => {
    const state = frozen({ promised: b(2, 1) });
    const got = onPrepare(state, frozen(prepare(b(2, 1))));
    expectRule({ rule: PREPARE_RULE, input: { state, msg: prepare(b(2, 1)) } }, got, { state: { promised: b(2, 1) }, reply: { type: "promise", n: b(2, 1) } });
  });

  g.unit(2, "phase 1b: the promise reports the accepted proposal so the proposer can adopt it", ({ onPrepare }) => {
    const state = frozen({ promised: b(2, 1), accepted: { n: b(2, 1), v: "x" } });
    const got = onPrepare(state, frozen(prepare(b(3, 0))));
    expectRule(
      { rule: PREPARE_RULE, input: { state, msg: prepare(b(3, 0)) }, hint: "a value this acceptor accepted may already be chosen: the promise must carry it" },
      got,
      { state: { promised: b(3, 0), accepted: { n: b(2, 1), v: "x" } }, reply: { type: "promise", n: b(3, 0), accepted: { n: b(2, 1), v: "x" } } },
    );
  });

  g.unit(1, "phase 1b: a refused prepare leaves the accepted proposal alone", ({ onPrepare }) => {
    const state = frozen({ promised: b(5, 0), accepted: { n: b(4, 2), v: "y" } });
    const got = onPrepare(state, frozen(prepare(b(1, 1))));
    expectRule({ rule: PREPARE_RULE, input: { state, msg: prepare(b(1, 1)) } }, got.state, { promised: b(5, 0), accepted: { n: b(4, 2), v: "y" } });
  });

  g.unit(1, "phase 2b: an acceptor that promised nothing accepts", ({ onAccept }) => {
    const state = frozen({});
    const got = onAccept(state, frozen(accept(b(1, 3), "v")));
    expectRule({ rule: ACCEPT_RULE, input: { state, msg: accept(b(1, 3), "v") } }, got, { state: { promised: b(1, 3), accepted: { n: b(1, 3), v: "v" } }, reply: { type: "accepted", n: b(1, 3), v: "v" } });
  });

  g.unit(2, "phase 2b: accept with the promised number is accepted", ({ onAccept }) => {
    const state = frozen({ promised: b(2, 0) });
    const got = onAccept(state, frozen(accept(b(2, 0), "w")));
    expectRule({ rule: ACCEPT_RULE, input: { state, msg: accept(b(2, 0), "w") } }, got, { state: { promised: b(2, 0), accepted: { n: b(2, 0), v: "w" } }, reply: { type: "accepted", n: b(2, 0), v: "w" } });
  });

  g.unit(2, "phase 2b: accept below the promise gets a nack and changes nothing", ({ onAccept }) => {
    const state = frozen({ promised: b(4, 1), accepted: { n: b(3, 0), v: "old" } });
    const got = onAccept(state, frozen(accept(b(3, 2), "new")));
    expectRule(
      { rule: ACCEPT_RULE, input: { state, msg: accept(b(3, 2), "new") }, hint: "the promise is a vow not to accept anything numbered lower: that is what keeps a chosen value chosen" },
      got,
      { state: { promised: b(4, 1), accepted: { n: b(3, 0), v: "old" } }, reply: { type: "nack", phase: "accept", n: b(3, 2), promised: b(4, 1) } },
    );
  });

  g.unit(1, "phase 2b: accept above the promise is accepted and raises the promise", ({ onAccept }) => {
    const state = frozen({ promised: b(1, 1) });
    const got = onAccept(state, frozen(accept(b(3, 0), "z")));
    expectRule({ rule: ACCEPT_RULE, input: { state, msg: accept(b(3, 0), "z") } }, got.state, { promised: b(3, 0), accepted: { n: b(3, 0), v: "z" } });
  });

  g.unit(2, "phase 2b: a later accept replaces the accepted proposal", ({ onAccept }) => {
    const state = frozen({ promised: b(5, 2), accepted: { n: b(2, 1), v: "first" } });
    const got = onAccept(state, frozen(accept(b(5, 2), "second")));
    expectRule(
      { rule: ACCEPT_RULE, input: { state, msg: accept(b(5, 2), "second") }, hint: "promises report the highest-numbered proposal accepted, so keep the newest one; the reply tells the learners what was just accepted" },
      got,
      { state: { promised: b(5, 2), accepted: { n: b(5, 2), v: "second" } }, reply: { type: "accepted", n: b(5, 2), v: "second" } },
    );
  });

  g.simulation(6, "five acceptors under crashes, partitions and message loss choose exactly one value", {
    protocol: "paxos",
    seeds: 30,
    hint: "look at the first acceptor in the trace that accepts or promises against the rules; the checker names the acceptor and the ballots",
    run: (impl, run) => runBasicPaxos(run, { rules: impl }),
  });

  g.simulation(4, "duplicated and reordered messages do not break agreement", {
    protocol: "paxos",
    seeds: 20,
    hint: "a duplicate prepare or accept must get the same answer as the first copy; a stale one must be refused",
    run: (impl, run) => runBasicPaxos(run, { rules: impl, duplicate: 0.3, rates: { lossy: 1, pause: 1 } }),
  });
  g.exhaustive(4, "exhaustive search: two proposers on 3 nodes, every order of the next deliveries after node 0 gathers its promises, and after node 1 alone accepted node 0's value");
});
