// Lesson 2: Basic Paxos, the happy path, with its cost in messages and message delays.

import type { Lesson } from "../lesson.js";
import { happyPath } from "./happy-path.js";

export const lesson02: Lesson = {
  number: 2,
  slug: "basic-paxos",
  title: "Basic Paxos",
  summary: "Proposers, acceptors and learners agree on one value in two phases: four message delays, and most messages are the acceptors telling the learners.",
  scenarios: [happyPath],
};
