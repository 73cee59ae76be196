// Lesson 7: the worked Raft example from the seed post, nine labelled steps on servers 1-5.

import type { Lesson } from "../lesson.js";
import { nineSteps } from "./nine-steps.js";

export const lesson07: Lesson = {
  number: 7,
  slug: "worked-example",
  title: "The worked Raft example",
  summary: "Election, replication, commit, catch-up of a returning server and failover, in nine numbered steps that the terminal and the site show at the same labelled points.",
  scenarios: [nineSteps],
};
