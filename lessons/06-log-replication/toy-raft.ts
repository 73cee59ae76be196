// The seed's toy replication, rebuilt on the simulator: one entry per message, no consistency check, commit per entry.

import type { Message, NodeFactory, NodeId } from "@course/sim";

export type ToyMessage =
  | { readonly type: "ToyVoteRequest"; readonly term: number }
  | { readonly type: "ToyVote"; readonly term: number }
  | { readonly type: "ToyAppend"; readonly term: number; readonly slot: number; readonly value: string }
  | { readonly type: "ToyAck"; readonly term: number; readonly slot: number };

export interface ToyView {
  readonly role: "follower" | "candidate" | "leader";
  readonly term: number;
  /** Sparse, as in the toy: slot k may be filled while slot k-1 is empty (null). */
  readonly log: readonly (string | null)[];
  readonly committed: readonly boolean[];
  readonly acks: readonly number[];
  readonly votes: number;
}

/**
 * Deliberately not Raft: the follower stores whatever slot it is told, with no check that the slots before it
 * match, and the leader commits each slot on its own count of acknowledgments. Lesson 6 contrasts this with
 * AppendEntries' consistency check.
 */
export function toyRaftNodes(candidate: NodeId, clusterSize: number): NodeFactory<ToyMessage & Message> {
  return (ctx) => {
    let role: ToyView["role"] = "follower";
    let term = 0;
    let votes = 0;
    const log: (string | null)[] = [];
    const acks: number[] = [];
    const committed: boolean[] = [];
    if (ctx.id === candidate) ctx.setTimer("election", 10);
    const majority = Math.floor(clusterSize / 2) + 1;
    return {
      onTimer(_name, c) {
        role = "candidate";
        term++;
        votes = 1;
        c.broadcast({ type: "ToyVoteRequest", term });
      },
      onMessage(from, msg, c) {
        if (msg.type === "ToyVoteRequest") {
          term = msg.term;
          c.send(from, { type: "ToyVote", term });
        } else if (msg.type === "ToyVote" && role === "candidate" && ++votes >= majority) {
          role = "leader";
        } else if (msg.type === "ToyAppend") {
          while (log.length <= msg.slot) log.push(null);
          log[msg.slot] = msg.value;
          c.send(from, { type: "ToyAck", term, slot: msg.slot });
        } else if (msg.type === "ToyAck" && role === "leader") {
          acks[msg.slot] = (acks[msg.slot] ?? 1) + 1;
          if ((acks[msg.slot] as number) >= majority) committed[msg.slot] = true;
        }
      },
      onClientRequest(request, c) {
        const slot = log.length;
        log.push(String(request.op));
        acks[slot] = 1;
        committed[slot] = false;
        c.broadcast({ type: "ToyAppend", term, slot, value: String(request.op) });
        c.reply(request.id, { slot });
      },
      view: (): ToyView => ({ role, term, log: [...log], committed: [...committed], acks: [...acks], votes }),
    };
  };
}
