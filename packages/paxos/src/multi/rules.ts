// The set of Multi-Paxos rules a node runs, so that any one of them can be swapped (for an exercise or a mutant).

import { nextProposalNumber } from "../basic/proposer.js";
import { durablePromise, onMultiAccept, onMultiPrepare } from "./acceptor.js";
import { mergePhase1 } from "./leader.js";
import { learnSlot } from "./learner.js";
import { executeOnce } from "./sessions.js";

export interface MultiPaxosRules {
  readonly onMultiPrepare: typeof onMultiPrepare;
  readonly onMultiAccept: typeof onMultiAccept;
  readonly durablePromise: typeof durablePromise;
  readonly mergePhase1: typeof mergePhase1;
  readonly nextProposalNumber: typeof nextProposalNumber;
  readonly learnSlot: typeof learnSlot;
  readonly executeOnce: typeof executeOnce;
}

export const multiPaxosRules: MultiPaxosRules = { onMultiPrepare, onMultiAccept, durablePromise, mergePhase1, nextProposalNumber, learnSlot, executeOnce };

export function withMultiPaxosRules(overrides: Partial<MultiPaxosRules> | undefined): MultiPaxosRules {
  return { ...multiPaxosRules, ...(overrides ?? {}) };
}
