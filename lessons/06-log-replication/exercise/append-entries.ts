// Exercise 6: the AppendEntries handler a Raft follower runs for every message from a leader. Then run `npm run grade 6`.

import { firstIndexOfTerm, type AppendDecision, type AppendEntries, type FollowerState, type LogEntry } from "@course/raft";

// follower.log is read-only: log.lastIndex, log.lastTerm, log.termAt(i) (0 at index 0, undefined past the end).
// firstIndexOfTerm(log, term, from) scans down from `from` to the first index of that term (for step 2's hint).
// In this exercise there is no snapshot (log.snapshotIndex is 0).

/**
 * Figure 2 of the Raft paper, AppendEntries RPC, receiver implementation (§5.3):
 * 1. Reply false if req.term < currentTerm.
 * 2. Reply false if the log has no entry at prevLogIndex whose term is prevLogTerm (the consistency check).
 *    Include a hint that lets the leader skip back quickly. The usual one: if the log is too short,
 *    conflictIndex = lastIndex + 1 (and no conflictTerm); otherwise conflictTerm = the term at prevLogIndex and
 *    conflictIndex = the first index holding that term. The paper sketches the second hint at the end of §5.3; the
 *    first is how MIT 6.5840's "accelerated log backtracking" reports a short log. Exercise 7 is the leader's side.
 *    Any hint works that moves the leader back: a conflictIndex from 1 to prevLogIndex (and at most lastIndex + 1),
 *    with a conflictTerm only if it is the term at prevLogIndex.
 * 3. If an existing entry conflicts with a new one (same index, different term), delete it and all that
 *    follow it (`truncateFrom`). Entries that already match must NOT be deleted: a delayed, older message
 *    would otherwise erase entries a newer one added.
 * 4. Append any new entries not already in the log (`append`).
 * 5. If leaderCommit > commitIndex, set commitIndex = min(leaderCommit, index of last new entry), where the
 *    last new entry is prevLogIndex + number of entries in the request, not the end of the log: entries past
 *    the message were not checked against the leader's log. The commit index never goes down: if that minimum
 *    is below the current commit index, keep the current one.
 * On success, matchIndex = prevLogIndex + number of entries. On failure: append [], matchIndex 0, commitIndex unchanged.
 */
export function handleAppendEntries(follower: FollowerState, req: AppendEntries): AppendDecision {
  throw new Error("TODO: handleAppendEntries (Raft Figure 2, §5.3)");
}
