// Exercise 1 (two-phase commit): the reference it is graded against, the classic mistakes it must catch and the exhaustive search that hunts them.

import { decide, recover, twoPcMutants } from "@course/twopc";
import { defineExercise } from "../../grading/exercise.js";
import { checkFields } from "../../grading/shapes.js";

type TwoPhaseCommitRules = { decide: typeof decide; recover: typeof recover };

export const twoPhaseCommitExercise = defineExercise<TwoPhaseCommitRules>({
  lesson: 1,
  folder: "01-why-consensus",
  id: "two-phase-commit",
  title: "2PC: the commit decision and in-doubt recovery",
  stubFile: "01-why-consensus/exercise/two-phase-commit.ts",
  functions: ["decide", "recover"],
  loadStudent: () => import("./two-phase-commit.js"),
  reference: { decide, recover },
  checkResult: {
    decide: (r) => (r === undefined || r === "commit" || r === "abort" ? undefined : 'it must return "commit", "abort" or undefined'),
    recover: checkFields({ state: "string", action: "string" }),
  },
  mutants: {
    "commit-on-majority": { searchFinds: true, description: twoPcMutants.commitOnMajority.description, functions: { decide: twoPcMutants.commitOnMajority.rules.decide } },
    "abort-when-in-doubt": { description: twoPcMutants.abortWhenInDoubt.description, functions: { recover: twoPcMutants.abortWhenInDoubt.rules.recover } },
    "missing-votes-count-as-yes": {
      searchFinds: true,
      description: "at the time-out the coordinator commits if nobody voted no, counting missing votes as yes",
      functions: {
        decide: (votes, participants, timedOut) => {
          for (const v of votes.values()) if (!v) return "abort";
          if (participants.every((p) => votes.get(p) === true)) return "commit";
          return timedOut ? "commit" : undefined;
        },
      },
    },
    "commit-on-three-yes": {
      searchFinds: true,
      description: "counts yes votes against a hard-coded 3 (the example's participants) instead of the participant list",
      functions: {
        decide: (votes, _participants, timedOut) => {
          for (const v of votes.values()) if (!v) return "abort";
          return votes.size >= 3 ? "commit" : timedOut ? "abort" : undefined;
        },
      },
    },
    "commit-when-in-doubt": {
      searchFinds: true,
      description: "a participant that restarts prepared assumes the transaction committed",
      functions: { recover: (state) => (state === "working" ? { state: "aborted", action: "none" } : state === "prepared" ? { state: "committed", action: "none" } : { state, action: "none" }) },
    },
  },
  search: {
    hint: "the counterexample is a shortest run: read which votes the coordinator had when it decided, and what the participant that crashed did after its restart",
    searches: (impl) => [
      { label: "3 participants", options: { protocol: "2pc", rules: impl, nodes: 4, depth: 8, drops: 1, crashes: 1, timers: 1, requests: 1, lifetime: 0 } },
      // Four participants: a count that fits the three-participant example shows only with more.
      { label: "4 participants", options: { protocol: "2pc", rules: impl, nodes: 5, depth: 10, drops: 0, crashes: 0, timers: 0, requests: 1, lifetime: 0 } },
    ],
  },
});
