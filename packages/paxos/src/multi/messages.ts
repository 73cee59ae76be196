// The messages of Multi-Paxos: phase 1 for every open slot at once, phase 2 per slot, and housekeeping.

import type { Ballot } from "../ballot.js";

/**
 * A client's command as it sits in a slot: which client sent it, its number in that client's own sequence
 * (from 1), and what it asks for. The pair (client, seq) names the command: copies of it in two slots are one
 * command, and the state machine executes it once (see sessions.ts).
 */
export interface ClientCommand {
  readonly client: string;
  readonly seq: number;
  readonly op: string;
}

/** A command in the replicated log; null is the no-op a new leader uses to fill a gap. */
export type Command = ClientCommand | null;

export interface SlotAccepted {
  readonly n: Ballot;
  readonly v: Command;
}

/** Phase 1a for all slots from `from` on: one prepare makes the sender leader for the whole open log. */
export interface MPrepare {
  readonly type: "prepare";
  readonly n: Ballot;
  readonly from: number;
}

export interface MPromise {
  readonly type: "promise";
  readonly n: Ballot;
  readonly from: number;
  /** Every proposal accepted at slot >= from, as [slot, accepted] pairs. */
  readonly accepted: readonly (readonly [number, SlotAccepted])[];
}

export interface MAccept {
  readonly type: "accept";
  readonly n: Ballot;
  readonly slot: number;
  readonly v: Command;
}

export interface MAccepted {
  readonly type: "accepted";
  readonly n: Ballot;
  readonly slot: number;
  readonly v: Command;
}

export interface MNack {
  readonly type: "nack";
  readonly phase: "prepare" | "accept";
  readonly n: Ballot;
  readonly promised: Ballot;
}

/** The leader's periodic "I am still here", with what it has applied and what every replica has applied. */
export interface Heartbeat {
  readonly type: "heartbeat";
  readonly n: Ballot;
  /** Slots below this are chosen and applied at the leader. */
  readonly applied: number;
  /** Every replica has applied the slots below this: they may forget them. */
  readonly gcBelow: number;
}

/** A replica's answer to a heartbeat: how far it has applied the log. */
export interface Status {
  readonly type: "status";
  readonly applied: number;
}

/** A lagging replica asks the leader for chosen values from `from` on. */
export interface CatchUp {
  readonly type: "catchup";
  readonly from: number;
}

/** Chosen values, sent to a replica that lags behind. */
export interface Chosen {
  readonly type: "chosen";
  readonly entries: readonly (readonly [number, Command])[];
}

/** A client command passed on to the leader by the node the client reached. */
export interface Forward {
  readonly type: "forward";
  readonly requestId: number;
  readonly command: ClientCommand;
}

export type MultiPaxosMessage = MPrepare | MPromise | MAccept | MAccepted | MNack | Heartbeat | Status | CatchUp | Chosen | Forward;
