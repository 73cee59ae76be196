// Exercise 7: how a Raft leader tracks each follower (nextIndex, matchIndex) from AppendEntries replies. Then run `npm run grade 7`.

import { lastIndexOfTerm, type AppendEntriesReply, type LogView, type PeerProgress } from "@course/raft";

// lastIndexOfTerm(log, term) is the last index in the log holding `term`, or undefined if the log has no entry of that term.

/**
 * Figure 2 of the Raft paper, rules for leaders, with a fast log backup. `progress` is what the leader knows about
 * one follower: nextIndex (the next entry to send it) and matchIndex (the highest entry known to be replicated on
 * it). `leaderLog` is the leader's own log.
 * - On success: matchIndex = the reply's matchIndex (but never lower than before: replies can arrive late or
 *   twice), and nextIndex = matchIndex + 1 (never lower than before).
 * - On failure (the consistency check failed), move nextIndex back so the next AppendEntries finds the point
 *   where the logs agree. Figure 2 steps back one entry per refusal; the end of the paper's §5.3 sketches, only in
 *   outline, a follower reporting its conflicting term and the first index it holds for that term so the leader
 *   can skip the whole term. The rules below are the leader's side of that optimization as MIT 6.5840 teaches it
 *   ("accelerated log backtracking", with the follower's hints of exercise 6):
 *   - with conflictTerm: if the leader has entries of that term, resume just after its last one; otherwise
 *     resume at the reply's conflictIndex (the first index the follower holds for that term);
 *   - with only conflictIndex (the follower's log is too short): resume at conflictIndex;
 *   - with no hint at all: nextIndex - 1.
 *   matchIndex does not change on a failure, nextIndex never drops below matchIndex + 1 (what the follower is
 *   known to hold), and a late rejection never moves nextIndex forward.
 */
export function handleAppendEntriesReply(progress: PeerProgress, leaderLog: LogView, reply: AppendEntriesReply): PeerProgress {
  throw new Error("TODO: handleAppendEntriesReply (Raft Figure 2, rules for leaders; fast log backup)");
}
