// Exercise 3 (Paxos proposer): the reference it is graded against, the classic mistakes it must catch and the exhaustive search that hunts them.

import { chooseValue, nextProposalNumber, paxosMutants } from "@course/paxos";
import { defineExercise } from "../../grading/exercise.js";
import { checkFields, checkType } from "../../grading/shapes.js";
import { PAXOS_CHOSEN_THEN_RIVAL, PAXOS_RIVAL_CHOSEN_THEN_RETRY, PAXOS_RIVAL_TIMES_OUT } from "../../grading/clusters/search-starts.js";

type ProposerRules = { chooseValue: typeof chooseValue; nextProposalNumber: typeof nextProposalNumber };

export const proposerExercise = defineExercise<ProposerRules>({
  lesson: 3,
  folder: "03-paxos-failures",
  id: "proposer",
  title: "The proposer: adopting a value, numbering rounds",
  stubFile: "03-paxos-failures/exercise/proposer.ts",
  functions: ["chooseValue", "nextProposalNumber"],
  loadStudent: () => import("./proposer.js"),
  reference: { chooseValue, nextProposalNumber },
  checkResult: { chooseValue: checkType("string"), nextProposalNumber: checkFields({ round: "number", node: "number" }) },
  mutants: {
    "ignore-accepted-values": { searchFinds: true, description: paxosMutants.ignoreAcceptedValues.description, functions: { chooseValue: paxosMutants.ignoreAcceptedValues.rules.chooseValue } },
    "adopt-lowest-accepted": { searchFinds: true, description: paxosMutants.adoptLowestAccepted.description, functions: { chooseValue: paxosMutants.adoptLowestAccepted.rules.chooseValue } },
    "shared-proposal-numbers": {
      description: paxosMutants.sharedProposalNumbers.description,
      functions: { nextProposalNumber: paxosMutants.sharedProposalNumbers.rules.nextProposalNumber },
    },
    "tie-with-own-id": {
      description: "stays in a refusal's round when the refusing ballot's node id is at or below its own, so a refusal naming its own id gets that same number back",
      functions: {
        nextProposalNumber: (rejections, round, nodeId) => {
          let next = round + 1;
          for (const r of rejections) next = Math.max(next, r.node <= nodeId ? r.round : r.round + 1);
          return { round: next, node: nodeId };
        },
      },
    },
    "forget-own-rounds": {
      searchFinds: true,
      description: "the next number only looks above the rejections, not above the rounds this proposer already used, so a retry or a restart reuses a number",
      functions: {
        nextProposalNumber: (rejections, _round, nodeId) => {
          let highest = 0;
          for (const r of rejections) highest = Math.max(highest, r.round);
          return { round: highest + 1, node: nodeId };
        },
      },
    },
  },
  search: {
    hint: "node 1's promise to node 2 reports the value it accepted from node 0: which value must node 2 propose?",
    searches: (impl) => [
      { label: "a rival after a chosen value", options: { protocol: "paxos", rules: impl, depth: 6, drops: 0, timers: 0, requests: 0, lifetime: 0 }, start: PAXOS_CHOSEN_THEN_RIVAL },
      { label: "promises report two accepted proposals", options: { protocol: "paxos", rules: impl, depth: 3, drops: 0, timers: 0, requests: 0, lifetime: 0 }, start: PAXOS_RIVAL_CHOSEN_THEN_RETRY },
      { label: "a retry after a time-out", options: { protocol: "paxos", rules: impl, depth: 3, drops: 0, timers: 0, requests: 0, lifetime: 0 }, start: PAXOS_RIVAL_TIMES_OUT },
    ],
  },
});
