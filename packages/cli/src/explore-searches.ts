// Targeted searches `npm run explore --variant` runs for a bug beyond its exercise's graded ones: a scripted start and a bound that reach it, too slow or too special for grading.

import { variantsOf, type Bounds, type ProtocolName, type ScriptStep } from "@course/explore";
import {
  MULTI_PAXOS_NEW_LEADER,
  MULTI_PAXOS_OLD_LEADER_GETS_COMMAND,
  multiPaxosElection,
  PAXOS_ACCEPTED_BY_ONE_THEN_RIVAL,
  PAXOS_RIVAL_CHOSEN_THEN_RETRY,
} from "@course/lessons/grading/clusters/search-starts.js";

/** One targeted search: where it starts, its bound, and node options it needs (the bug's own rules are added). */
export interface TargetedSearch {
  readonly label: string;
  readonly start: readonly ScriptStep[];
  readonly bounds: Readonly<Partial<Bounds>>;
  readonly nodeOptions?: Readonly<Record<string, unknown>>;
}

/** No faults, no timers, no new requests: only the deliveries left in flight after the start, in every order. */
const quiet = (depth: number, extra: Partial<Bounds> = {}): Partial<Bounds> => ({ depth, drops: 0, duplicates: 0, crashes: 0, timers: 0, requests: 0, lifetime: 0, ...extra });

/**
 * Figure 8 as the variant naive-commit searches it (lesson 8): its start (the figure's state (c)), its bound and one
 * entry per AppendEntries. A rule that counts replicas of an old-term entry breaks Leader Completeness there.
 */
function figure8(): TargetedSearch {
  const naive = variantsOf("raft")["naive-commit"];
  return { label: "Figure 8's state (c)", start: naive?.start ?? [], bounds: naive?.bounds ?? {}, nodeOptions: naive?.nodeOptions ?? {} };
}

/**
 * Multi-Paxos on 3 nodes: node 0 leads with promises from nodes 0 and 1, and a client sends command c1 to it twice
 * (a retry before the first copy is chosen), so it proposes c1 in slots 0 and 1; nodes 0 and 1 accept both.
 */
const MULTI_PAXOS_RETRY_IN_TWO_SLOTS: readonly ScriptStep[] = [
  ...multiPaxosElection(0, [0, 1]),
  { request: [0, { seq: 1, op: "c1" }] },
  { request: [0, { seq: 1, op: "c1" }] },
  ...[0, 1].flatMap((k): ScriptStep[] => [{ deliver: [0, k, "accept"] }, { deliver: [0, k, "accept"] }]),
];

/**
 * Targeted searches by variant name (an explorer variant, or a grading mutant "lesson/exercise/mutant"), run after
 * the graded searches and before the default bound. Each start is played by the reference without a violation, and
 * the reference exhausts each bound with none (packages/cli/test/explore-searches.test.ts).
 */
export const TARGETED_SEARCHES: Readonly<Record<ProtocolName, Readonly<Record<string, readonly TargetedSearch[]>>>> = {
  "2pc": {},
  paxos: {
    // The planted bug of exercise 3's mutant of the same name: its graded search.
    "adopt-lowest-accepted": [{ label: "promises report two accepted proposals", start: PAXOS_RIVAL_CHOSEN_THEN_RETRY, bounds: quiet(3) }],
    "forget-promise": [{ label: "an acceptor restarts after promising a rival", start: PAXOS_ACCEPTED_BY_ONE_THEN_RIVAL, bounds: quiet(5, { crashes: 1 }) }],
  },
  "multi-paxos": {
    "no-op-everything": [{ label: "a new leader after a chosen command", start: MULTI_PAXOS_NEW_LEADER, bounds: quiet(4) }],
    "accept-below-promise": [{ label: "the old leader gets a command", start: MULTI_PAXOS_OLD_LEADER_GETS_COMMAND, bounds: quiet(4) }],
    "execute-every-copy": [{ label: "a client's retry is chosen in a second slot", start: MULTI_PAXOS_RETRY_IN_TWO_SLOTS, bounds: quiet(4) }],
    "forget-promise": [{ label: "the old leader gets a command; an acceptor may restart", start: MULTI_PAXOS_OLD_LEADER_GETS_COMMAND, bounds: quiet(4, { crashes: 1 }) }],
  },
  raft: {
    "commit-old-term-by-counting": [figure8()],
    "8/safety/commit-old-term-by-counting": [figure8()],
    "8/safety/last-entry-term": [figure8()],
  },
};
