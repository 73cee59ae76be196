// Lesson 5: Raft leader election: terms, randomized timeouts, the election no-op, split votes, stepping down, CheckQuorum, PreVote.

import type { Lesson } from "../lesson.js";
import { checkQuorum } from "./check-quorum.js";
import { cleanElection } from "./clean-election.js";
import { electionNoOp } from "./election-no-op.js";
import { preVote } from "./prevote.js";
import { splitVote } from "./split-vote.js";
import { stepDown } from "./step-down.js";

export const lesson05: Lesson = {
  number: 5,
  slug: "leader-election",
  title: "Raft leader election",
  summary:
    "Time is divided into terms with at most one leader each. Followers that hear no heartbeat become candidates; a majority of votes makes a leader, whose first entry, a no-op of its term, commits what earlier terms left and lets reads go ahead; randomized timeouts resolve split votes; any higher term makes a server step down; CheckQuorum makes a leader without a majority step down; PreVote stops a returning server from disrupting the cluster.",
  scenarios: [cleanElection, electionNoOp, splitVote, stepDown, checkQuorum, preVote],
};
