// The set of Basic Paxos rules a node runs, so that any one of them can be swapped (for an exercise or a mutant).

import { durableAcceptorState, onAccept, onPrepare } from "./acceptor.js";
import { learnFromAccepted } from "./learner.js";
import { chooseValue, nextProposalNumber } from "./proposer.js";

export interface PaxosRules {
  readonly onPrepare: typeof onPrepare;
  readonly onAccept: typeof onAccept;
  readonly durableAcceptorState: typeof durableAcceptorState;
  readonly chooseValue: typeof chooseValue;
  readonly nextProposalNumber: typeof nextProposalNumber;
  readonly learnFromAccepted: typeof learnFromAccepted;
}

export const paxosRules: PaxosRules = { onPrepare, onAccept, durableAcceptorState, chooseValue, nextProposalNumber, learnFromAccepted };

export function withPaxosRules(overrides: Partial<PaxosRules> | undefined): PaxosRules {
  return { ...paxosRules, ...(overrides ?? {}) };
}
