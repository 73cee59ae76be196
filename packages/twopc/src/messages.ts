// The messages of two-phase commit (prepare, vote, decision, ack, the in-doubt query) and of the Paxos instance
// that can replicate the decision.

import type { Ballot } from "@course/paxos";

export type TxnId = string;
export type Decision = "commit" | "abort";

export interface PrepareTxn {
  readonly type: "prepare";
  readonly txn: TxnId;
}

export interface Vote {
  readonly type: "vote";
  readonly txn: TxnId;
  readonly yes: boolean;
}

export interface DecisionMsg {
  readonly type: "decision";
  readonly txn: TxnId;
  readonly decision: Decision;
  /** Set when this copy answers a participant's status query rather than being the sender's own announcement. */
  readonly answersQuery?: boolean;
}

export interface Ack {
  readonly type: "ack";
  readonly txn: TxnId;
}

/** A prepared participant that has heard no decision asks the coordinator for it. */
export interface StatusQuery {
  readonly type: "status-query";
  readonly txn: TxnId;
}

/*
 * The decision replicated with consensus: one single-decree Paxos instance per transaction, whose value is the
 * decision (Paxos Made Simple §2.2; Gray and Lamport, "Consensus on Transaction Commit", 2006, run such instances
 * for each participant's vote). Acceptors answer the proposer only; the proposer learns and tells the participants.
 */
export interface PaxosPrepare {
  readonly type: "paxos-prepare";
  readonly txn: TxnId;
  readonly n: Ballot;
}

export interface PaxosPromise {
  readonly type: "paxos-promise";
  readonly txn: TxnId;
  readonly n: Ballot;
  /** The highest-numbered decision this acceptor has accepted for the transaction, if any. */
  readonly accepted?: { readonly n: Ballot; readonly v: Decision };
}

export interface PaxosAccept {
  readonly type: "paxos-accept";
  readonly txn: TxnId;
  readonly n: Ballot;
  readonly v: Decision;
}

export interface PaxosAccepted {
  readonly type: "paxos-accepted";
  readonly txn: TxnId;
  readonly n: Ballot;
  readonly v: Decision;
}

export interface PaxosNack {
  readonly type: "paxos-nack";
  readonly txn: TxnId;
  readonly phase: "prepare" | "accept";
  readonly n: Ballot;
  readonly promised: Ballot;
}

export type DecisionPaxosMessage = PaxosPrepare | PaxosPromise | PaxosAccept | PaxosAccepted | PaxosNack;

export type TwoPcMessage = PrepareTxn | Vote | DecisionMsg | Ack | StatusQuery | DecisionPaxosMessage;

/** Whether a message belongs to the Paxos instance that replicates a decision. */
export function isDecisionPaxosMessage(msg: TwoPcMessage): msg is DecisionPaxosMessage {
  return msg.type.startsWith("paxos-");
}
