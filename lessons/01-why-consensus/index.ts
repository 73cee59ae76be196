// Lesson 1: why consensus. Two-phase commit blocks on its coordinator; consensus keeps its decision available.

import type { Lesson } from "../lesson.js";
import { majorityKeepsGoing } from "./majority-keeps-going.js";
import { replicatedDecision } from "./replicated-decision.js";
import { twoPhaseCommitBlocks } from "./two-phase-commit-blocks.js";

export const lesson01: Lesson = {
  number: 1,
  slug: "why-consensus",
  title: "Why consensus: two-phase commit blocks",
  summary:
    "Two-phase commit is atomic but not available: when the coordinator dies after the votes, prepared participants wait for it. Consensus keeps deciding while a majority is up, but it does not replace the unanimous vote; it keeps the coordinator's decision safe, so nobody waits for the coordinator.",
  scenarios: [twoPhaseCommitBlocks, majorityKeepsGoing, replicatedDecision],
};
