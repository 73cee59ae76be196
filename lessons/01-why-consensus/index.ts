// Lesson 1: why consensus. Two-phase commit blocks on its coordinator; a majority protocol does not.

import type { Lesson } from "../lesson.js";
import { majorityKeepsGoing } from "./majority-keeps-going.js";
import { twoPhaseCommitBlocks } from "./two-phase-commit-blocks.js";

export const lesson01: Lesson = {
  number: 1,
  slug: "why-consensus",
  title: "Why consensus: two-phase commit blocks",
  summary:
    "Two-phase commit is atomic but not available: when the coordinator dies after the votes, prepared participants wait for it. Paxos keeps deciding as long as a majority is up.",
  scenarios: [twoPhaseCommitBlocks, majorityKeepsGoing],
};
