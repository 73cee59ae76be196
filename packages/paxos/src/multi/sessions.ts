// Client sessions for the Multi-Paxos state machine: a client command is executed once, however many slots hold it.

import type { ClientRequest } from "@course/sim";
import type { ClientCommand, Command } from "./messages.js";

/**
 * What a client sends a replica: the command and its number in the client's own sequence. A client numbers its
 * commands 1, 2, 3... and sends the next one only once the previous one is answered; a retry of an unanswered
 * command (to the same replica or another) carries the same number. The client's name is the request's `client`.
 */
export interface MultiPaxosRequest {
  readonly op: string;
  readonly seq: number;
}

/** The latest command the state machine executed for one client, and the slot where it did. */
export interface Session {
  readonly seq: number;
  readonly slot: number;
}

/** Per client name. Rebuilt from the applied log, so it needs no storage of its own. */
export type Sessions = ReadonlyMap<string, Session>;

export interface Execution {
  readonly sessions: Sessions;
  /** True when the state machine runs the command now; false for a copy of a command it already ran. */
  readonly execute: boolean;
  /**
   * The result a client is answered with: the slot where the command was first executed (this one when
   * `execute`). Undefined for a copy of a command older than the client's latest, whose answer was already given.
   */
  readonly slot?: number;
}

/**
 * Apply one client command at `slot`, at most once. Copies of one command can be chosen in several slots (a
 * deposed leader hands its unanswered commands to the next leader, whose phase 1 may also find them in open
 * slots; a client retries at another replica), so the replica, not the log, must recognize them: it skips a
 * command it has already performed (Paxos Made Moderately Complex, van Renesse and Altinbuken 2015: the
 * replica's `perform`). As in Raft's client sessions (Ongaro's thesis §6.3) it keeps only each client's latest
 * number, which suffices because a client has at most one command outstanding.
 */
export function executeOnce(sessions: Sessions, slot: number, command: ClientCommand): Execution {
  const seen = sessions.get(command.client);
  if (seen !== undefined && command.seq <= seen.seq) {
    return seen.seq === command.seq ? { sessions, execute: false, slot: seen.slot } : { sessions, execute: false };
  }
  return { sessions: new Map(sessions).set(command.client, { seq: command.seq, slot }), execute: true, slot };
}

/**
 * The command a client request stands for. A request whose op is `{ op, seq }` belongs to its client's session.
 * Any other op (a bare string, say) is a command of its own, named after the request: it is still executed
 * once however often the replicas copy it, but a client that sends it again has sent a new command.
 */
export function clientCommandOf(request: ClientRequest): ClientCommand | { readonly error: string } {
  const op = request.op;
  if (typeof op === "object" && op !== null && "seq" in op) {
    const { seq, op: what } = op as { seq: unknown; op?: unknown };
    if (!Number.isInteger(seq) || (seq as number) < 1) return { error: `a command's seq must be a whole number from 1, got ${JSON.stringify(seq)}` };
    if (typeof what !== "string") return { error: `a command's op must be a string, got ${JSON.stringify(what)}` };
    return { client: request.client, seq: seq as number, op: what };
  }
  return { client: `${request.client}#${request.id}`, seq: 1, op: typeof op === "string" ? op : JSON.stringify(op) };
}

/** The name of a command: equal for every copy of it, whatever slot it is in. */
export function commandId(command: ClientCommand): string {
  return JSON.stringify([command.client, command.seq]);
}

/** A key equal for equal values (no-op included), for comparing commands that arrived as separate copies. */
export function commandKey(command: Command): string {
  return command === null ? "null" : JSON.stringify([command.client, command.seq, command.op]);
}

export function sameCommand(a: Command, b: Command): boolean {
  return a === b || (a !== null && b !== null && a.client === b.client && a.seq === b.seq && a.op === b.op);
}
