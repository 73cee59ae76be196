// Client commands for the Multi-Paxos tests: a command by its op, with a client and number that default sensibly.

import type { ClientCommand } from "../src/index.js";

/** A client command; each test picks distinct numbers where the identity of commands matters. */
export function cmd(op: string, seq = 1, client = "alice"): ClientCommand {
  return { client, seq, op };
}

/** The ops of a log, no-ops as null: what a reader compares logs by. */
export function ops(log: readonly (ClientCommand | null)[] | undefined): (string | null)[] | undefined {
  return log?.map((c) => (c === null ? null : c.op));
}
