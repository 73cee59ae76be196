// Graded suite for exercise 6: the AppendEntries receiver alone (Figure 2, §5.3) and replicating under faults.

import type { AppendDecision, AppendEntries, FollowerState } from "@course/raft";
import { gradedSuite } from "../../grading/graded.js";
import { expectRule, fail, type RuleCheck } from "../../grading/failure.js";
import { preview } from "../../grading/impl.js";
import { entries, logOf } from "../../grading/raft-fixtures.js";
import { runRaft } from "../../grading/clusters/raft.js";
import { appendEntriesExercise } from "./exercise.js";

const follower = (currentTerm: number, commitIndex: number, terms: number[]): FollowerState => Object.freeze({ currentTerm, commitIndex, log: logOf(terms) });
/** An AppendEntries whose new entries start right after prevLogIndex, with the given terms. */
const req = (term: number, prevLogIndex: number, prevLogTerm: number, newTerms: number[], leaderCommit: number): AppendEntries =>
  Object.freeze({ type: "AppendEntries", term, leaderId: 9, prevLogIndex, prevLogTerm, entries: Object.freeze(entries(newTerms, prevLogIndex + 1)), leaderCommit });
const show = (f: FollowerState, r: AppendEntries) => ({ follower: { currentTerm: f.currentTerm, commitIndex: f.commitIndex, log: f.log }, req: { ...r, entries: r.entries.map((e) => `${e.index}@t${e.term}`) } });
/** The decision as comparable plain data: entries shown as index@term. */
const pick = (d: AppendDecision, fields: (keyof AppendDecision)[]) =>
  Object.fromEntries(fields.map((f) => [f, f === "append" ? d.append.map((e) => `${e.index}@t${e.term}`) : d[f]]));

const STEP1 = "Figure 2, AppendEntries receiver, step 1: reply false if term < currentTerm";
const STEP2 = "Figure 2, AppendEntries receiver, step 2: reply false if the log has no entry at prevLogIndex with term prevLogTerm, with a hint for the leader (§5.3)";
const STEP34 = "Figure 2, AppendEntries receiver, steps 3-4: delete a conflicting entry and all after it; append entries not already in the log";
const STEP5 = "Figure 2, AppendEntries receiver, step 5: if leaderCommit > commitIndex, commitIndex = min(leaderCommit, index of last new entry)";

function check(rule: string, f: FollowerState, r: AppendEntries, hint?: string): RuleCheck {
  return hint === undefined ? { rule, input: show(f, r) } : { rule, input: show(f, r), hint };
}

/**
 * A refusal's hint (§5.3) only has to let the leader move back and find the point where the logs agree: a
 * conflictIndex the leader may resume at (1 <= conflictIndex <= prevLogIndex, and at most lastIndex + 1), and, if a
 * conflictTerm is given, the term this log holds at prevLogIndex, so the leader, which never has an entry of that term
 * there (Log Matching), resumes below prevLogIndex. Which usable hint a follower sends is its own choice.
 */
function expectUsableHint(f: FollowerState, r: AppendEntries, d: AppendDecision, usual: string): void {
  const c = check(STEP2, f, r, usual);
  const hints = { conflictIndex: d.conflictIndex, conflictTerm: d.conflictTerm };
  const most = Math.min(r.prevLogIndex, f.log.lastIndex + 1);
  if (d.conflictIndex === undefined) fail(c, `a conflictIndex between 1 and ${most} telling the leader where to resume`, preview(hints));
  if (!Number.isInteger(d.conflictIndex) || d.conflictIndex < 1 || d.conflictIndex > most) {
    fail(c, `a conflictIndex between 1 and ${most}: the leader resumes there, so above that it would send the same message again (or past the end of this log)`, preview(hints));
  }
  if (d.conflictTerm !== undefined && (r.prevLogIndex > f.log.lastIndex || d.conflictTerm !== f.log.termAt(r.prevLogIndex))) {
    const held = r.prevLogIndex > f.log.lastIndex ? "no conflictTerm: this log has no entry at prevLogIndex" : `conflictTerm ${f.log.termAt(r.prevLogIndex)}, the term at prevLogIndex, or none`;
    fail(c, `${held} (a leader that has entries of the term named resumes after its last one, which for another term may be where it was)`, preview(hints));
  }
}

gradedSuite(appendEntriesExercise, (g) => {
  g.unit(2, "step 1: a message from an older term is refused and changes nothing", ({ handleAppendEntries }) => {
    const f = follower(5, 2, [1, 1, 3]);
    const r = req(4, 3, 3, [4], 3);
    expectRule(check(STEP1, f, r, "a deposed leader must not change the log"), pick(handleAppendEntries(f, r), ["success", "append", "commitIndex"]), { success: false, append: [], commitIndex: 2 });
  });

  g.unit(1, "step 2: prevLogIndex 0 always matches (the empty prefix)", ({ handleAppendEntries }) => {
    const f = follower(1, 0, []);
    const r = req(1, 0, 0, [1, 1], 0);
    expectRule(check(STEP34, f, r), pick(handleAppendEntries(f, r), ["success", "append", "matchIndex"]), { success: true, append: ["1@t1", "2@t1"], matchIndex: 2 });
  });

  g.unit(2, "step 2: a follower whose log is too short refuses and says where its log ends", ({ handleAppendEntries }) => {
    const f = follower(3, 1, [1, 1]);
    const r = req(3, 4, 2, [3], 1);
    const d = handleAppendEntries(f, r);
    expectRule(check(STEP2, f, r), pick(d, ["success", "append", "commitIndex"]), { success: false, append: [], commitIndex: 1 });
    expectUsableHint(f, r, d, "there is no entry 4 to check: the usual hint is conflictIndex = lastIndex + 1 = 3, where the leader should resume");
  });

  g.unit(3, "step 2: a term mismatch at prevLogIndex is refused with a hint that skips back", ({ handleAppendEntries }) => {
    const f = follower(4, 1, [1, 2, 2, 2]);
    const r = req(4, 4, 3, [4], 1);
    const d = handleAppendEntries(f, r);
    expectRule(check(STEP2, f, r), pick(d, ["success", "append", "commitIndex"]), { success: false, append: [], commitIndex: 1 });
    expectUsableHint(f, r, d, "entry 4 has term 2, not 3: the usual hint is conflictTerm 2 with conflictIndex 2, the first index of term 2");
  });

  g.unit(1, "step 2: a mismatch at the first entry hints an index the leader can use", ({ handleAppendEntries }) => {
    const f = follower(4, 0, [2, 2]);
    const r = req(4, 1, 1, [4], 0);
    const d = handleAppendEntries(f, r);
    expectRule(check(STEP2, f, r), pick(d, ["success", "append"]), { success: false, append: [] });
    expectUsableHint(f, r, d, "entry 1 conflicts: the leader must resume at index 1 (prevLogIndex 0, which always matches)");
  });

  g.unit(1, "heartbeat: a matching empty message succeeds and changes nothing", ({ handleAppendEntries }) => {
    const f = follower(2, 1, [1, 2]);
    const r = req(2, 2, 2, [], 1);
    expectRule(check(STEP34, f, r), pick(handleAppendEntries(f, r), ["success", "append", "truncateFrom", "matchIndex"]), { success: true, append: [], truncateFrom: undefined, matchIndex: 2 });
  });

  g.unit(2, "step 4: new entries after the end of the log are appended", ({ handleAppendEntries }) => {
    const f = follower(2, 0, [1]);
    const r = req(2, 1, 1, [2, 2], 0);
    expectRule(check(STEP34, f, r), pick(handleAppendEntries(f, r), ["success", "append", "truncateFrom", "matchIndex"]), { success: true, append: ["2@t2", "3@t2"], truncateFrom: undefined, matchIndex: 3 });
  });

  g.unit(3, "step 3: a conflicting entry and everything after it are replaced", ({ handleAppendEntries }) => {
    const f = follower(3, 1, [1, 2, 2, 2]);
    const r = req(3, 1, 1, [3, 3], 1);
    expectRule(
      check(STEP34, f, r, "entry 2 has term 2 here but 3 in the request: delete from 2 on (truncateFrom: 2), then append"),
      pick(handleAppendEntries(f, r), ["success", "truncateFrom", "append", "matchIndex"]),
      { success: true, truncateFrom: 2, append: ["2@t3", "3@t3"], matchIndex: 3 },
    );
  });

  g.unit(3, "step 3: an old, delayed message whose entries all match deletes nothing", ({ handleAppendEntries }) => {
    const f = follower(2, 3, [1, 1, 2, 2, 2]);
    const r = req(2, 1, 1, [1, 2], 3);
    expectRule(
      check(STEP34, f, r, "truncate only at a real conflict: entries 4-5 may have been acknowledged to the leader and counted toward commit"),
      pick(handleAppendEntries(f, r), ["success", "truncateFrom", "append", "matchIndex"]),
      { success: true, truncateFrom: undefined, append: [], matchIndex: 3 },
    );
  });

  g.unit(2, "steps 3-4: matching entries are skipped, the first conflict truncates", ({ handleAppendEntries }) => {
    const f = follower(3, 0, [1, 1, 2]);
    const r = req(3, 0, 0, [1, 1, 3, 3], 0);
    expectRule(check(STEP34, f, r), pick(handleAppendEntries(f, r), ["truncateFrom", "append"]), { truncateFrom: 3, append: ["3@t3", "4@t3"] });
  });

  g.unit(2, "step 5: the commit index is capped at the last entry this message checked", ({ handleAppendEntries }) => {
    const f = follower(3, 1, [1, 1, 1, 1, 1, 1]);
    const r = req(3, 2, 1, [3], 6);
    expectRule(
      check(STEP5, f, r, "entries 4-6 here were not checked against the leader's log by this message: they may differ from the leader's"),
      pick(handleAppendEntries(f, r), ["success", "commitIndex"]),
      { success: true, commitIndex: 3 },
    );
  });

  g.unit(2, "step 5: the commit index never goes back", ({ handleAppendEntries }) => {
    const f = follower(3, 4, [1, 1, 2, 2, 3]);
    const r = req(3, 2, 1, [2], 2);
    expectRule(check(STEP5, f, r, "a delayed message carries an older leaderCommit; committed stays committed"), pick(handleAppendEntries(f, r), ["success", "commitIndex"]), { success: true, commitIndex: 4 });
  });

  g.unit(1, "step 5: a newer leaderCommit within the checked entries is adopted", ({ handleAppendEntries }) => {
    const f = follower(2, 1, [1, 2, 2]);
    const r = req(2, 3, 2, [], 3);
    expectRule(check(STEP5, f, r), pick(handleAppendEntries(f, r), ["success", "commitIndex"]), { success: true, commitIndex: 3 });
  });

  g.unit(3, "step 5: entries past the message do not count toward the commit index", ({ handleAppendEntries }) => {
    const f = follower(3, 1, [1, 1, 1, 1, 1]);
    const r = req(3, 1, 1, [1], 5);
    expectRule(
      check(STEP5, f, r, "the last new entry is prevLogIndex + entries = 2; entries 3-5 were not checked against the leader's log by this message (the leader may have other entries there)"),
      pick(handleAppendEntries(f, r), ["success", "truncateFrom", "append", "matchIndex", "commitIndex"]),
      { success: true, truncateFrom: undefined, append: [], matchIndex: 2, commitIndex: 2 },
    );
  });

  g.unit(2, "step 5: a short message with a higher leaderCommit never lowers the commit index", ({ handleAppendEntries }) => {
    const f = follower(3, 4, [1, 1, 2, 2, 3]);
    const r = req(3, 2, 1, [2], 6);
    expectRule(
      check(STEP5, f, r, "leaderCommit 6 > commitIndex 4, and the last new entry is 3: min(6, 3) would move the commit index back from 4 to 3. Committed stays committed"),
      pick(handleAppendEntries(f, r), ["success", "commitIndex"]),
      { success: true, commitIndex: 4 },
    );
  });

  g.simulation(6, "replication under crashes, partitions and reordering keeps logs matching and commits durable", {
    protocol: "raft",
    seeds: 30,
    hint: "find the follower named in the violation and the last AppendEntries it handled before it: was it stale, reordered, or from an old leader? Messages carry 1, 2 or 64 entries, so the follower's log often goes on past the message",
    run: (impl, run) => runRaft(run, { raft: { rules: impl } }),
  });

  g.simulation(4, "slow, duplicating links deliver old AppendEntries late: nothing committed is lost", {
    protocol: "raft",
    seeds: 20,
    hint: "a late message must never delete entries or lower the commit index",
    run: (impl, run) => runRaft(run, { raft: { rules: impl }, duplicate: 0.2, maxLatency: 40, rates: { crash: 0.6, partition: 0.6, lossy: 0.5 } }),
  });
  g.exhaustive(4, "exhaustive search: a committed write, then delayed copies of old messages (also while a follower catches up one entry at a time), an election, or a lost message followed by fault-free runs");
});
