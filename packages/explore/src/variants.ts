// Named broken variants per protocol: the lessons' "break it" variants and the planted bugs of the protocol packages.

import { twoPcMutants } from "@course/twopc";
import { multiPaxosMutants, paxosMutants } from "@course/paxos";
import { buggyRules } from "@course/raft";
import type { ScriptStep } from "./script.js";
import type { Bounds, ProtocolName } from "./types.js";

export interface Variant {
  readonly description: string;
  /** Rule overrides for the node. */
  readonly rules?: Readonly<Record<string, unknown>>;
  /** Other node options. */
  readonly nodeOptions?: Readonly<Record<string, unknown>>;
  /** Bounds that differ from the protocol's default, for a bug that needs a longer or wider search to show. */
  readonly bounds?: Partial<Bounds>;
  /**
   * Where the search starts, when the path to the bug is too long to search from the initial state: scripted steps
   * (see `scriptChoices`). `ExploreOptions.from` (the command line's --from, --from-start) overrides it.
   */
  readonly start?: readonly ScriptStep[];
}

/** "acceptBelowPromise" -> "accept-below-promise": the spelling the command line and the lessons use. */
const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

function fromMutants(mutants: Record<string, { readonly description: string; readonly rules: object }>): Record<string, Variant> {
  return Object.fromEntries(Object.entries(mutants).map(([name, m]) => [kebab(name), { description: m.description, rules: m.rules as Record<string, unknown> }]));
}

/** Bugs of what a server keeps on disk show only when a server crashes and restarts: their searches allow one crash. */
const NEEDS_A_CRASH = new Set(["forget-voted-for", "skip-log-persistence"]);

const raftBugs: Record<string, Variant> = Object.fromEntries(
  Object.entries(buggyRules).map(([name, rules]) => [
    name,
    { description: `the planted bug "${name}" of @course/raft`, rules: rules as Record<string, unknown>, ...(NEEDS_A_CRASH.has(name) ? { bounds: { crashes: 1 } } : {}) },
  ]),
);

/** Every named variant, per protocol. Lesson variants keep the lesson's name and point at the same rules. */
export const VARIANTS: Readonly<Record<ProtocolName, Readonly<Record<string, Variant>>>> = {
  "2pc": fromMutants(twoPcMutants),
  paxos: {
    ...fromMutants(paxosMutants),
    // Lesson 3.
    "ignore-accepted": { description: paxosMutants.ignoreAcceptedValues.description, rules: paxosMutants.ignoreAcceptedValues.rules as Record<string, unknown> },
    "no-backoff": { description: "no backoff: a proposer that sees a higher number jumps straight above it (dueling proposers can livelock)", nodeOptions: { backoff: false } },
  },
  "multi-paxos": {
    ...fromMutants(multiPaxosMutants),
    "no-election-fix": { description: "fixed election timeouts and refused candidates retry at once (dueling leaders can livelock)", nodeOptions: { electionFix: false } },
  },
  raft: {
    ...raftBugs,
    // Lesson 8 names its variants after what the reader sees.
    // Figure 8 on three servers, with the election no-op and one entry per AppendEntries. The start script builds
    // the figure's state (c): node 0 led term 1 and node 1 term 2, each keeping its no-op alone (the network lost
    // the copies); node 0 has just won term 3 with node 2's vote. The search finds the rest: node 0 copies its
    // term-1 entry to node 2 and counts it committed, node 1 steps down, times out, wins term 4 with node 2's vote
    // and would overwrite the entry. From the initial state the same path needs five timer firings, a search far
    // beyond a default bound (with four, it had not finished after 400,000 distinct states).
    "naive-commit": {
      description: "the leader commits any entry stored on a majority, whatever its term (Figure 8)",
      rules: buggyRules["commit-old-term-by-counting"],
      nodeOptions: { maxEntriesPerMessage: 1 },
      bounds: { timers: 2, requests: 0 },
      start: [
        { timer: 0, name: "election" },
        { deliver: [0, 1, "RequestVote"] },
        { deliver: [1, 0, "RequestVoteReply"] },
        { dropAll: true },
        { timer: 1, name: "election" },
        { deliver: [1, 2, "RequestVote"] },
        { deliver: [2, 1, "RequestVoteReply"] },
        { dropAll: true },
        { timer: 0, name: "heartbeat" },
        { deliver: [0, 2, "AppendEntries"] },
        { deliver: [2, 0, "AppendEntriesReply"] },
        { dropAll: true },
        { timer: 0, name: "election" },
        { deliver: [0, 2, "RequestVote"] },
        { deliver: [2, 0, "RequestVoteReply"] },
      ],
    },
    // Lesson 5: PreVote off is the explorer's default configuration; the variant changes nothing here.
    "without-prevote": { description: "PreVote off (a disruptive server forces needless elections: no safety or liveness property breaks)", nodeOptions: { preVote: false } },
  },
};

export function variantsOf(protocol: ProtocolName): Readonly<Record<string, Variant>> {
  return VARIANTS[protocol];
}
