// The participant's rules as pure functions: vote, apply the decision, and recover after a restart.

import type { Decision, DecisionMsg, PrepareTxn, Vote } from "./messages.js";

/**
 * Where a participant stands on one transaction. "prepared" is the in-doubt state: having voted yes, it has
 * given up the right to abort on its own and must wait for the coordinator's decision.
 */
export type ParticipantTxnState = "working" | "prepared" | "committed" | "aborted";

/**
 * Phase 1 (Gray, "Notes on Data Base Operating Systems", 1978, §5.8.3.3): vote yes only after making the
 * prepared state durable; a no vote aborts at once. A repeated prepare gets the same vote again.
 */
export function onPrepareTxn(state: ParticipantTxnState, msg: PrepareTxn, canCommit: boolean): { state: ParticipantTxnState; reply: Vote } {
  if (state === "prepared" || state === "committed") return { state, reply: { type: "vote", txn: msg.txn, yes: true } };
  if (state === "aborted" || !canCommit) return { state: "aborted", reply: { type: "vote", txn: msg.txn, yes: false } };
  return { state: "prepared", reply: { type: "vote", txn: msg.txn, yes: true } };
}

/** Phase 2: do what the coordinator decided. A decision that arrives twice changes nothing. */
export function onDecision(state: ParticipantTxnState, msg: DecisionMsg): ParticipantTxnState {
  if (state === "committed" || state === "aborted") return state;
  return outcomeState(msg.decision);
}

export function outcomeState(decision: Decision): ParticipantTxnState {
  return decision === "commit" ? "committed" : "aborted";
}

export type RecoveryAction = "none" | "ask-coordinator";

/**
 * After a restart, from durable state only: a transaction that never got a yes vote can be aborted alone (the
 * coordinator cannot have committed it); a prepared one is in doubt and must ask the coordinator. This is the
 * blocking case: no one else can tell the participant what to do.
 */
export function recover(state: ParticipantTxnState): { state: ParticipantTxnState; action: RecoveryAction } {
  if (state === "working") return { state: "aborted", action: "none" };
  if (state === "prepared") return { state, action: "ask-coordinator" };
  return { state, action: "none" };
}
