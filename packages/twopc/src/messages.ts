// The messages of two-phase commit: prepare and vote (phase 1), decision and ack (phase 2), and the in-doubt query.

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

export type TwoPcMessage = PrepareTxn | Vote | DecisionMsg | Ack | StatusQuery;
