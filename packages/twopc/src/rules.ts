// The set of two-phase commit rules a node runs, so that any one of them can be swapped.

import { decide, recoverDecision } from "./coordinator.js";
import { onDecision, onPrepareTxn, recover } from "./participant.js";

export interface TwoPcRules {
  readonly decide: typeof decide;
  readonly recoverDecision: typeof recoverDecision;
  readonly onPrepareTxn: typeof onPrepareTxn;
  readonly onDecision: typeof onDecision;
  readonly recover: typeof recover;
}

export const twoPcRules: TwoPcRules = { decide, recoverDecision, onPrepareTxn, onDecision, recover };

export function withTwoPcRules(overrides: Partial<TwoPcRules> | undefined): TwoPcRules {
  return { ...twoPcRules, ...(overrides ?? {}) };
}
