// The messages of Basic Paxos: prepare/promise (phase 1), accept/accepted (phase 2), nack for either phase, and a
// client's value forwarded to the distinguished proposer.

import type { Ballot } from "../ballot.js";

/** A value proposers agree on. Strings keep the narration and the charts readable. */
export type Value = string;

/** What an acceptor has accepted: the proposal number and its value. */
export interface Accepted {
  readonly n: Ballot;
  readonly v: Value;
}

export interface Prepare {
  readonly type: "prepare";
  readonly n: Ballot;
}

export interface PromiseMsg {
  readonly type: "promise";
  readonly n: Ballot;
  /** The highest-numbered proposal this acceptor has accepted, if any. */
  readonly accepted?: Accepted;
}

export interface Accept {
  readonly type: "accept";
  readonly n: Ballot;
  readonly v: Value;
}

export interface AcceptedMsg {
  readonly type: "accepted";
  readonly n: Ballot;
  readonly v: Value;
}

/** A refusal that names the higher number the acceptor has promised, so the proposer can retry above it. */
export interface Nack {
  readonly type: "nack";
  readonly phase: "prepare" | "accept";
  readonly n: Ballot;
  readonly promised: Ballot;
}

/** With a distinguished proposer (Paxos Made Simple §2.4), any other node hands its client's value to it. */
export interface ForwardValue {
  readonly type: "forward";
  readonly v: Value;
}

export type PaxosMessage = Prepare | PromiseMsg | Accept | AcceptedMsg | Nack | ForwardValue;
