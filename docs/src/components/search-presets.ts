// The searches the site offers: per protocol, the correct rules and each broken rule, with the bound each runs at (chosen by measurement).

// Types only: the page loads the explorer's code in its worker, not here.
import type { ExploreOptions, ProtocolName, ScriptStep } from "@course/explore";

/** What the worker is asked to run: explorer options without callbacks, and an optional scripted start. */
export interface SearchRequest {
  readonly protocol: ProtocolName;
  readonly variant?: string;
  readonly nodeOptions?: Readonly<Record<string, unknown>>;
  readonly bounds: Required<Pick<ExploreOptions, "depth" | "maxStates" | "drops" | "duplicates" | "crashes" | "timers" | "requests" | "lifetime">>;
  /** Scripted steps that set up the search's start (the search explores every interleaving from where they end). */
  readonly start?: readonly ScriptStep[];
}

export interface SearchPreset {
  /** Shown in the rule menu. */
  readonly label: string;
  readonly request: SearchRequest;
  /** Where the search starts, in words (the scripted start, or the initial state). */
  readonly startText: string;
}

/**
 * Figure 8 on three servers (ids 0-2), up to where the paper's (c) begins: node 0 led term 1 and its entry 1
 * (a no-op of term 1) reached nobody; node 1 led term 2 and its entry 1 (term 2) reached nobody; node 0 has won
 * term 3 with node 2's vote, and node 1 stepped down when node 2 answered its AppendEntries with term 3. Node 2's
 * log is empty. (A leader ignores vote requests, so the old leaders step down through replies of a later term.)
 */
export const FIGURE8_START: readonly ScriptStep[] = [
  { timer: 0, name: "election" },
  { deliver: [0, 1, "RequestVote"] },
  { deliver: [1, 0, "RequestVoteReply"] },
  { drop: [0, 2, "RequestVote"] },
  { drop: [0, 2, "AppendEntries"] },
  { timer: 1, name: "election" },
  { deliver: [1, 2, "RequestVote"] },
  { deliver: [2, 1, "RequestVoteReply"] },
  { deliver: [0, 1, "AppendEntries"] },
  { deliver: [1, 0, "AppendEntriesReply"] },
  { timer: 0, name: "election" },
  { deliver: [0, 2, "RequestVote"] },
  { deliver: [2, 0, "RequestVoteReply"] },
  { deliver: [1, 2, "AppendEntries"] },
  { deliver: [2, 1, "AppendEntriesReply"] },
];

const FIGURE8_START_TEXT =
  "where Figure 8's (c) begins, on three servers: S0 led term 1 and S1 led term 2, and neither's entry 1 reached another server; S0 has just won term 3 with S2's vote, S1 has heard of term 3 and stepped down, and S2's log is empty";

/**
 * The Figure 8 search: every delivery order and up to two timer firings (node 0's heartbeat, node 1's election)
 * from FIGURE8_START; a message not delivered within two steps is lost. One entry per AppendEntries, as in the
 * figure, where S1 copies its old entry before its new one. Measured: the naive rule's counterexample is found
 * after 4,883 distinct states; with Raft's rule the bound is exhausted after 13,255 states with no violation.
 */
const figure8 = (variant: string | undefined): SearchRequest => ({
  protocol: "raft",
  ...(variant === undefined ? {} : { variant }),
  nodeOptions: { maxEntriesPerMessage: 1 },
  bounds: { depth: 30, maxStates: 60_000, drops: 0, duplicates: 0, crashes: 0, timers: 2, requests: 0, lifetime: 2 },
  start: FIGURE8_START,
});

/** Lesson 8: the naive commit rule against Raft's, from Figure 8's start. */
export const LESSON8_PRESETS: readonly SearchPreset[] = [
  { label: "naive commit rule (Break it: naive-commit)", request: figure8("naive-commit"), startText: FIGURE8_START_TEXT },
  { label: "Raft's commit rule (§5.4.2: count replicas only for entries of the current term)", request: figure8(undefined), startText: FIGURE8_START_TEXT },
];

const FROM_START = "from the initial state (no leader, empty logs)";

/** The explorer's default bound for a protocol, capped at `maxStates` distinct states. */
function plain(protocol: ProtocolName, variant: string | undefined, bounds: SearchRequest["bounds"]): SearchRequest {
  return { protocol, ...(variant === undefined ? {} : { variant }), bounds };
}

// The explorer's default bounds per protocol (packages/explore/src/protocols.ts), capped to keep a search short.
const RAFT_BOUNDS = { depth: 30, maxStates: 40_000, drops: 0, duplicates: 0, crashes: 0, timers: 4, requests: 1, lifetime: 0 };
const PAXOS_BOUNDS = { depth: 40, maxStates: 40_000, drops: 1, duplicates: 0, crashes: 0, timers: 2, requests: 2, lifetime: 0 };
const MULTI_PAXOS_BOUNDS = { depth: 40, maxStates: 60_000, drops: 0, duplicates: 0, crashes: 0, timers: 3, requests: 1, lifetime: 0 };

/**
 * The sandbox: for each protocol, its correct rules and the broken rules the search finds within the cap.
 * Measured with the explorer at these bounds (distinct states before the violation): Raft vote-for-everyone 431,
 * vote-without-up-to-date-check 7,203, append-checking-only-length 9,946, commit-index-from-leader-verbatim 29,060;
 * Basic Paxos learn-on-first-accepted 10,226, accept-below-promise 31,482; Multi-Paxos learn-from-one 46,205.
 */
export const SANDBOX_PRESETS: Readonly<Record<"raft" | "paxos" | "multi-paxos", readonly SearchPreset[]>> = {
  raft: [
    { label: "Raft's rules (no bug)", request: plain("raft", undefined, RAFT_BOUNDS), startText: FROM_START },
    { label: "vote-for-everyone: a server votes for every candidate", request: plain("raft", "vote-for-everyone", RAFT_BOUNDS), startText: FROM_START },
    { label: "vote-without-up-to-date-check: voters do not compare logs (§5.4.1)", request: plain("raft", "vote-without-up-to-date-check", RAFT_BOUNDS), startText: FROM_START },
    { label: "append-checking-only-length: AppendEntries checks the log's length, not the term at prevLogIndex", request: plain("raft", "append-checking-only-length", RAFT_BOUNDS), startText: FROM_START },
    { label: "commit-index-from-leader-verbatim: a follower copies leaderCommit as is", request: plain("raft", "commit-index-from-leader-verbatim", RAFT_BOUNDS), startText: FROM_START },
    { label: "naive-commit: a leader counts replicas of entries of any term (Figure 8)", request: figure8("naive-commit"), startText: FIGURE8_START_TEXT },
  ],
  paxos: [
    { label: "Basic Paxos's rules (no bug)", request: plain("paxos", undefined, PAXOS_BOUNDS), startText: FROM_START },
    { label: "accept-below-promise: an acceptor accepts a proposal numbered below its promise", request: plain("paxos", "accept-below-promise", PAXOS_BOUNDS), startText: FROM_START },
    { label: "learn-on-first-accepted: a learner takes the first accepted value as chosen", request: plain("paxos", "learn-on-first-accepted", PAXOS_BOUNDS), startText: FROM_START },
  ],
  "multi-paxos": [
    { label: "Multi-Paxos's rules (no bug)", request: plain("multi-paxos", undefined, MULTI_PAXOS_BOUNDS), startText: FROM_START },
    { label: "learn-from-one: a slot counts as chosen when one acceptor accepted it", request: plain("multi-paxos", "learn-from-one", MULTI_PAXOS_BOUNDS), startText: FROM_START },
  ],
};

/** "depth 30, 60,000 distinct states, 2 timer firings, no crashes, ...": the bound in words. */
export function boundText(r: SearchRequest): string {
  const b = r.bounds;
  const n = (k: number, one: string, many: string) => (k === 0 ? `no ${many}` : `${k.toLocaleString("en-US")} ${k === 1 ? one : many}`);
  return [
    `3 servers`,
    `paths of at most ${b.depth} steps`,
    `at most ${b.maxStates.toLocaleString("en-US")} distinct states`,
    n(b.timers, "timer firing", "timer firings"),
    n(b.requests, "client request", "client requests"),
    n(b.drops, "lost message", "lost messages"),
    n(b.duplicates, "duplicated message", "duplicated messages"),
    n(b.crashes, "crash", "crashes"),
    b.lifetime > 0 ? `a message not delivered within ${b.lifetime} steps is lost` : "messages may wait any number of steps",
  ].join(", ");
}

/** The sandbox's protocol menu value -> the rules its search offers, with a note where the search differs from the run above. */
export function sandboxPresets(protocol: string): { readonly presets: readonly SearchPreset[]; readonly note?: string } {
  if (protocol === "paxos" || protocol === "multi-paxos") return { presets: SANDBOX_PRESETS[protocol] };
  if (protocol === "raft-prevote") return { presets: SANDBOX_PRESETS.raft, note: "The search explores plain Raft, without the PreVote and CheckQuorum of the run above." };
  return { presets: SANDBOX_PRESETS.raft };
}
