// Lesson 3: the ways Basic Paxos fails to make progress, and why it never fails to be safe.

import type { Lesson } from "../lesson.js";
import { chosenSurvives } from "./chosen-survives.js";
import { distinguishedProposer } from "./distinguished-proposer.js";
import { duelingProposers } from "./dueling-proposers.js";
import { lostPromise } from "./lost-promise.js";
import { minorityAlive } from "./minority-alive.js";

export const lesson03: Lesson = {
  number: 3,
  slug: "paxos-failures",
  title: "Paxos failure cases",
  summary:
    "A lost promise stalls a round (got 2, need 3) until a retry with a higher number; dueling proposers can pre-empt each other forever, until randomized backoff or a distinguished proposer ends it; a minority can never decide; and a value once chosen survives every later proposer.",
  scenarios: [lostPromise, duelingProposers, distinguishedProposer, minorityAlive, chosenSurvives],
};
