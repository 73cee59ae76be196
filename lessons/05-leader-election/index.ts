// Lesson 5: Raft leader election: terms, randomised timeouts, split votes, stepping down, PreVote.

import type { Lesson } from "../lesson.js";
import { cleanElection } from "./clean-election.js";
import { preVote } from "./prevote.js";
import { splitVote } from "./split-vote.js";
import { stepDown } from "./step-down.js";

export const lesson05: Lesson = {
  number: 5,
  slug: "leader-election",
  title: "Raft leader election",
  summary: "Time is divided into terms with at most one leader each. Followers that hear no heartbeat become candidates; a majority of votes makes a leader; randomised timeouts resolve split votes; any higher term makes a server step down; PreVote stops a returning server from disrupting the cluster.",
  scenarios: [cleanElection, splitVote, stepDown, preVote],
};
