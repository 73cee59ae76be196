// Unit tests of the pure Raft rules, each named after the paper rule it checks.

import { describe, expect, it } from "vitest";
import {
  RaftLog,
  advanceCommitIndex,
  buggyRules,
  handleAppendEntries,
  handleAppendEntriesReply,
  handleInstallSnapshot,
  handlePreVote,
  handleRequestVote,
  isLogUpToDate,
  quorumIndex,
  voteResult,
  type AppendEntries,
  type LogEntry,
} from "../src/index.js";

const put = (v: string) => ({ kind: "client" as const, client: "c", op: { type: "put" as const, key: "x", value: v } });
function logOf(terms: number[], snapshot?: { index: number; term: number }): RaftLog {
  const log = new RaftLog();
  const base = snapshot?.index ?? 0;
  log.reset(base, snapshot?.term ?? 0, terms.map((t, k): LogEntry => ({ index: base + k + 1, term: t, command: put(String(base + k + 1)) })));
  return log;
}
function ae(prevLogIndex: number, prevLogTerm: number, terms: number[], leaderCommit = 0, term = 5): AppendEntries {
  return {
    type: "AppendEntries",
    term,
    leaderId: 1,
    prevLogIndex,
    prevLogTerm,
    entries: terms.map((t, k) => ({ index: prevLogIndex + k + 1, term: t, command: put(`n${k}`) })),
    leaderCommit,
  };
}
const rv = (term: number, lastLogIndex: number, lastLogTerm: number, candidateId = 2) => ({ type: "RequestVote" as const, term, candidateId, lastLogIndex, lastLogTerm });

describe("election rules (§5.2, §5.4.1)", () => {
  it("§5.4.1 up-to-date: a higher last term wins, equal terms compare length", () => {
    expect(isLogUpToDate(3, 1, 2, 10)).toBe(true);
    expect(isLogUpToDate(2, 10, 3, 1)).toBe(false);
    expect(isLogUpToDate(2, 5, 2, 5)).toBe(true);
    expect(isLogUpToDate(2, 4, 2, 5)).toBe(false);
  });

  it("Figure 2 RequestVote: one vote per term, only for an up-to-date candidate, never for an old term", () => {
    const voter = { currentTerm: 3, votedFor: null, lastLogIndex: 4, lastLogTerm: 2 };
    expect(handleRequestVote(voter, rv(3, 4, 2))).toEqual({ voteGranted: true, votedFor: 2 });
    expect(handleRequestVote({ ...voter, votedFor: 7 }, rv(3, 4, 2))).toEqual({ voteGranted: false, votedFor: 7 });
    expect(handleRequestVote({ ...voter, votedFor: 2 }, rv(3, 4, 2)).voteGranted).toBe(true);
    expect(handleRequestVote(voter, rv(3, 3, 2)).voteGranted).toBe(false);
    expect(handleRequestVote(voter, rv(2, 9, 9)).voteGranted).toBe(false);
    // The planted bug skips the up-to-date check.
    expect(buggyRules["vote-without-up-to-date-check"].handleRequestVote(voter, rv(3, 0, 0)).voteGranted).toBe(true);
  });

  it("thesis §9.6 PreVote: refused while a leader is heard from, or for a stale log", () => {
    const voter = { currentTerm: 3, votedFor: null, lastLogIndex: 4, lastLogTerm: 2, leaderRecentlyHeard: false };
    const pv = { type: "PreVote" as const, term: 4, candidateId: 2, lastLogIndex: 4, lastLogTerm: 2 };
    expect(handlePreVote(voter, pv)).toBe(true);
    expect(handlePreVote({ ...voter, leaderRecentlyHeard: true }, pv)).toBe(false);
    expect(handlePreVote(voter, { ...pv, lastLogIndex: 3 })).toBe(false);
    expect(handlePreVote(voter, { ...pv, term: 3 })).toBe(false);
  });

  it("quorum: won with a majority of members, lost once a majority refuses", () => {
    expect(voteResult([1, 2, 3, 4, 5], new Set([1, 2, 3]), new Set())).toBe("won");
    expect(voteResult([1, 2, 3, 4, 5], new Set([1, 2]), new Set([3]))).toBe("pending");
    expect(voteResult([1, 2, 3, 4, 5], new Set([1]), new Set([3, 4, 5]))).toBe("lost");
    expect(voteResult([1, 2, 3], new Set([1, 9, 8]), new Set())).toBe("pending"); // non-members do not count
    expect(quorumIndex([1, 2, 3, 4, 5], (n) => [0, 9, 7, 5, 3, 1][n] as number)).toBe(5);
  });
});

describe("AppendEntries receiver (Figure 2, §5.3)", () => {
  it("rejects an old term, a missing prevLogIndex (hinting its length) and a term mismatch (hinting the term's first index)", () => {
    const log = logOf([1, 1, 2, 2, 2]);
    expect(handleAppendEntries({ currentTerm: 6, commitIndex: 0, log }, ae(5, 2, [])).success).toBe(false);
    expect(handleAppendEntries({ currentTerm: 5, commitIndex: 0, log }, ae(7, 3, []))).toMatchObject({ success: false, conflictIndex: 6 });
    expect(handleAppendEntries({ currentTerm: 5, commitIndex: 0, log }, ae(5, 3, []))).toMatchObject({ success: false, conflictTerm: 2, conflictIndex: 3 });
  });

  it("truncates at the first conflicting entry, keeps matching ones, and ignores an old duplicate", () => {
    const log = logOf([1, 1, 2, 2, 2]);
    const d = handleAppendEntries({ currentTerm: 5, commitIndex: 0, log }, ae(2, 1, [2, 3]));
    expect(d).toMatchObject({ success: true, truncateFrom: 4, matchIndex: 4 });
    expect(d.append.map((e) => e.index)).toEqual([4]);
    const dup = handleAppendEntries({ currentTerm: 5, commitIndex: 0, log }, ae(2, 1, [2]));
    expect(dup).toMatchObject({ success: true, matchIndex: 3, append: [] });
    expect(dup.truncateFrom).toBeUndefined();
  });

  it("learns the commit index, bounded by the last new entry, and never lowers it", () => {
    const log = logOf([1, 1, 1]);
    expect(handleAppendEntries({ currentTerm: 5, commitIndex: 0, log }, ae(1, 1, [1], 3)).commitIndex).toBe(2);
    expect(handleAppendEntries({ currentTerm: 5, commitIndex: 3, log }, ae(1, 1, [1], 1)).commitIndex).toBe(3);
    expect(buggyRules["commit-index-from-leader-verbatim"].handleAppendEntries({ currentTerm: 5, commitIndex: 3, log }, ae(1, 1, [1], 1)).commitIndex).toBe(1);
  });

  it("skips entries already inside its snapshot", () => {
    const log = logOf([3], { index: 4, term: 2 });
    const d = handleAppendEntries({ currentTerm: 5, commitIndex: 4, log }, ae(2, 1, [2, 2, 3, 4]));
    expect(d).toMatchObject({ success: true, matchIndex: 6 });
    expect(d.append.map((e) => e.index)).toEqual([6]);
  });
});

describe("leader rules (Figure 2, §5.3, §5.4.2)", () => {
  const leaderLog = logOf([1, 1, 4, 4, 5, 5]);
  it("fast backup: skip past the follower's conflicting term, or to its first index when the leader lacks that term", () => {
    const p = { nextIndex: 7, matchIndex: 0 };
    const reply = (conflictIndex: number, conflictTerm?: number) => ({ type: "AppendEntriesReply" as const, term: 5, success: false, matchIndex: 0, conflictIndex, appended: 0, ...(conflictTerm === undefined ? {} : { conflictTerm }) });
    expect(handleAppendEntriesReply(p, leaderLog, reply(4, 4)).nextIndex).toBe(5);
    expect(handleAppendEntriesReply(p, leaderLog, reply(3, 3)).nextIndex).toBe(3);
    expect(handleAppendEntriesReply(p, leaderLog, reply(2)).nextIndex).toBe(2);
    expect(handleAppendEntriesReply({ nextIndex: 7, matchIndex: 5 }, leaderLog, reply(2)).nextIndex).toBe(6);
    expect(handleAppendEntriesReply(p, leaderLog, { type: "AppendEntriesReply", term: 5, success: true, matchIndex: 6, appended: 1 })).toEqual({ nextIndex: 7, matchIndex: 6 });
  });

  it("§5.4.2: commits only by counting entries of the current term (Figure 8); the naive rule counts any", () => {
    const log = logOf([1, 2, 2]);
    const state = (currentTerm: number, match: number[]) => ({ currentTerm, commitIndex: 1, log, members: [1, 2, 3, 4, 5], matchIndex: (n: number) => match[n - 1] as number });
    expect(advanceCommitIndex(state(4, [3, 3, 3, 1, 1]))).toBe(1);
    expect(buggyRules["commit-old-term-by-counting"].advanceCommitIndex(state(4, [3, 3, 3, 1, 1]))).toBe(3);
    expect(advanceCommitIndex(state(2, [3, 3, 2, 1, 1]))).toBe(2);
  });

  it("Figure 13 InstallSnapshot: retain the log after a matching last entry, else discard; ignore old snapshots", () => {
    const log = logOf([1, 1, 2, 2]);
    const snap = (i: number, t: number) => ({ type: "InstallSnapshot" as const, term: 5, leaderId: 1, snapshot: { lastIncludedIndex: i, lastIncludedTerm: t, members: [1], state: null } });
    expect(handleInstallSnapshot({ commitIndex: 1, log }, snap(3, 2))).toEqual({ action: "install", retainLog: true });
    expect(handleInstallSnapshot({ commitIndex: 1, log }, snap(3, 3))).toEqual({ action: "install", retainLog: false });
    expect(handleInstallSnapshot({ commitIndex: 3, log }, snap(3, 2))).toEqual({ action: "ignore" });
  });
});
