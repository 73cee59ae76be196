// Exercise 11: the key-value state machine's duplicate detection with client sessions. Then run `npm run grade 11`.

import type { Command, KvImage } from "@course/raft";

// A KvImage is the whole state machine as plain data:
//   data:     key -> value
//   sessions: client -> { seq, result }: the highest command number applied for that client, and its result.
// A client command is { kind: "client", client, seq?, op: { type: "put" | "append", key, value } }.

/**
 * Raft paper §8 (client interaction): a client numbers its commands and retries one (with the same number) until
 * it gets an answer, so the same command may be committed to the log more than once. A client has one command
 * outstanding at a time: it sends command n+1 only after command n was answered, so a number at or below the
 * highest one applied for that client has already run. Applying a committed command:
 * - "noop" and "config" entries change nothing; their result is null.
 * - A client command is a repeat exactly when it has a `seq` (0 included) at or below the highest `seq` already
 *   applied for that client: do not execute it again, and change nothing (the session keeps the client's highest
 *   number); answer with the result remembered in the client's session.
 * - Otherwise execute it ("put" sets the key to the value, "append" adds the value at the end of the key's
 *   current value, "" if unset); its result is the key's new value. If it has a `seq`, remember
 *   `{ seq, result }` as the client's session. A command without `seq` is always executed.
 * Sessions are per client: two clients' command numbers are unrelated.
 * Return the new state and the result; do not modify `state` itself.
 */
export function applyCommand(state: KvImage, command: Command): { state: KvImage; result: string | null } {
  throw new Error("TODO: applyCommand (Raft §8, client sessions)");
}
