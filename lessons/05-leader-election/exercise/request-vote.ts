// Exercise 5: the RequestVote handler a Raft server runs when a candidate asks for its vote. Then run `npm run grade 5`.

import type { RequestVote, VoteDecision, VoterState } from "@course/raft";

/**
 * Figure 2 of the Raft paper, RequestVote RPC, receiver implementation, with §5.2 and §5.4.1.
 * `voter` is this server: currentTerm (already raised to the request's term if that was higher, and votedFor
 * cleared then), votedFor (null if it has not voted in currentTerm) and the index and term of its last log entry.
 * Grant the vote exactly when all three of these hold:
 * 1. req.term >= currentTerm (step 1: a candidate from an older term is refused);
 * 2. votedFor is null or req.candidateId (step 2: one vote per term; repeating the same vote is fine; 0 is a
 *    server id like any other: only null means "no vote");
 * 3. the candidate's log is at least as up-to-date as the voter's (§5.4.1): compare the terms of the last entries
 *    first (the later term is more up-to-date); only if they are equal does the longer log win (equal length
 *    counts as up-to-date).
 * Return `{ voteGranted, votedFor }` where votedFor is the value after the decision: req.candidateId when the vote
 * is granted (the node persists it before the reply leaves), and the voter's votedFor unchanged when it is refused.
 */
export function handleRequestVote(voter: VoterState, req: RequestVote): VoteDecision {
  throw new Error("TODO: handleRequestVote (Raft Figure 2, §5.2, §5.4.1)");
}
