// The coordinator's rules as pure functions: the commit decision, and recovery after a restart.

import type { NodeId } from "@course/sim";
import type { Decision } from "./messages.js";

/**
 * The commit rule: commit only if every participant voted yes; abort as soon as one votes no, or when the
 * votes are not all in by the time-out. Undefined means keep waiting.
 */
export function decide(votes: ReadonlyMap<NodeId, boolean>, participants: readonly NodeId[], timedOut: boolean): Decision | undefined {
  for (const v of votes.values()) if (!v) return "abort";
  if (participants.every((p) => votes.get(p) === true)) return "commit";
  return timedOut ? "abort" : undefined;
}

/**
 * What a restarted coordinator answers for a transaction: its durable decision if it made one, else abort
 * ("presumed abort"): without a logged decision it cannot have told anyone to commit.
 */
export function recoverDecision(logged: Decision | undefined): Decision {
  return logged ?? "abort";
}
