// Named broken variants per protocol: the lessons' "break it" variants and the planted bugs of the protocol packages.

import { twoPcMutants } from "@course/twopc";
import { multiPaxosMutants, paxosMutants } from "@course/paxos";
import { buggyRules } from "@course/raft";
import type { ProtocolName } from "./types.js";

export interface Variant {
  readonly description: string;
  /** Rule overrides for the node. */
  readonly rules?: Readonly<Record<string, unknown>>;
  /** Other node options. */
  readonly nodeOptions?: Readonly<Record<string, unknown>>;
}

/** "acceptBelowPromise" -> "accept-below-promise": the spelling the command line and the lessons use. */
const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

function fromMutants(mutants: Record<string, { readonly description: string; readonly rules: object }>): Record<string, Variant> {
  return Object.fromEntries(Object.entries(mutants).map(([name, m]) => [kebab(name), { description: m.description, rules: m.rules as Record<string, unknown> }]));
}

const raftBugs: Record<string, Variant> = Object.fromEntries(
  Object.entries(buggyRules).map(([name, rules]) => [name, { description: `the planted bug "${name}" of @course/raft`, rules: rules as Record<string, unknown> }]),
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
    "naive-commit": { description: "the leader commits any entry stored on a majority, whatever its term (Figure 8)", rules: buggyRules["commit-old-term-by-counting"] },
    // Lesson 5: PreVote off is the explorer's default configuration; the variant changes nothing here.
    "without-prevote": { description: "PreVote off (a disruptive server forces needless elections: no safety or liveness property breaks)", nodeOptions: { preVote: false } },
  },
};

export function variantsOf(protocol: ProtocolName): Readonly<Record<string, Variant>> {
  return VARIANTS[protocol];
}
