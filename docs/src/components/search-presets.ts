// The searches the site offers: per protocol, the correct rules and each broken rule, with the bound each runs at (chosen by measurement).

// Types only: the page loads the explorer's code in its worker, not here.
import type { ExploreOptions, ProtocolName } from "@course/explore";

/** What the worker is asked to run: explorer options without callbacks. */
export interface SearchRequest {
  readonly protocol: ProtocolName;
  readonly variant?: string;
  /**
   * Start where this variant's start script ends, with its node options, even when the rules searched are another's
   * (Raft's correct rule from Figure 8's start). A variant with a start of its own starts there anyway.
   */
  readonly startOf?: string;
  readonly bounds: Required<Pick<ExploreOptions, "depth" | "maxStates" | "drops" | "duplicates" | "crashes" | "timers" | "requests" | "lifetime">>;
}

export interface SearchPreset {
  /** Shown in the rule menu. */
  readonly label: string;
  readonly request: SearchRequest;
  /** Where the search starts, in words (the scripted start, or the initial state). */
  readonly startText: string;
}

/** The explorer's naive-commit variant starts at Figure 8's (c) (packages/explore/src/variants.ts), in words. */
const FIGURE8_START_TEXT =
  "where Figure 8's (c) begins, on three servers: S0 led term 1 and S1 led term 2, each keeping its entry alone (the network lost the copies); S0 has just won term 3 with S2's vote, S1 still believes it leads term 2, and S2's log is empty";

/**
 * The Figure 8 search: the naive-commit variant's start, node options and bounds (two timer firings, no client
 * request), except that a message is lost after two steps instead of four, which keeps the correct rule's search
 * short. Measured: the naive rule's counterexample after 5,704 distinct states (depth 9); Raft's rule exhausts
 * the bound at 22,257 states (with four steps: 15,192 and 100,973).
 */
const FIGURE8_BOUNDS = { depth: 40, maxStates: 300_000, drops: 0, duplicates: 0, crashes: 0, timers: 2, requests: 0, lifetime: 2 };
const figure8 = (variant: string | undefined): SearchRequest => ({ protocol: "raft", ...(variant === undefined ? { startOf: "naive-commit" } : { variant }), bounds: FIGURE8_BOUNDS });

/** Lesson 8: the naive commit rule against Raft's, from Figure 8's start. */
export const LESSON8_PRESETS: readonly SearchPreset[] = [
  { label: "naive commit rule (Break it: naive-commit)", request: figure8("naive-commit"), startText: FIGURE8_START_TEXT },
  { label: "Raft's commit rule (§5.4.2: count replicas only for entries of the current term)", request: figure8(undefined), startText: FIGURE8_START_TEXT },
];

const FROM_START = "from the initial state (no leader, empty logs)";

const plain = (protocol: ProtocolName, variant: string | undefined, bounds: SearchRequest["bounds"]): SearchRequest => ({ protocol, ...(variant === undefined ? {} : { variant }), bounds });

// The explorer's default bounds per protocol (packages/explore/src/protocols.ts; a test keeps them equal), with a
// cap on distinct states above what the correct rules need to exhaust them.
const RAFT_BOUNDS = { depth: 40, maxStates: 60_000, drops: 0, duplicates: 0, crashes: 0, timers: 2, requests: 1, lifetime: 4 };
const PAXOS_BOUNDS = { depth: 16, maxStates: 120_000, drops: 0, duplicates: 0, crashes: 0, timers: 0, requests: 2, lifetime: 2 };
const MULTI_PAXOS_BOUNDS = { depth: 40, maxStates: 60_000, drops: 0, duplicates: 0, crashes: 0, timers: 1, requests: 1, lifetime: 4 };

/**
 * The sandbox: for each protocol, its correct rules and the broken rules the search finds at these bounds (a test
 * runs each). Broken rules the default bounds cannot reach (lost persistence needs crashes) are left out.
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
