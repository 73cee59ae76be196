// Lesson 7: the worked Raft example from the seed post, nine labeled steps on servers 1-5.

import type { Lesson } from "../lesson.js";
import { nineSteps } from "./nine-steps.js";

export const lesson07: Lesson = {
  number: 7,
  slug: "worked-example",
  title: "The worked Raft example",
  summary:
    "Election, replication, commit, catch-up of a returning server after a refused heartbeat, and failover, in the seed's nine numbered steps; the terminal and the site stop at the end of each step, where what the step says is true.",
  scenarios: [nineSteps],
};
