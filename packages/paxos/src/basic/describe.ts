// Narration of Basic Paxos trace events in words, one line per protocol step worth reading.

import type { TraceEvent } from "@course/sim";
import { formatBallot } from "../ballot.js";
import { describeFaultEvent } from "../describe-faults.js";
import type { PaxosMessage } from "./messages.js";

/** One line for a trace event of a Basic Paxos run, or undefined when the event is not worth a line. */
export function describePaxosEvent(e: TraceEvent): string | undefined {
  if (e.kind === "send") return describeSend(e.from, e.to, e.msg as PaxosMessage);
  if (e.kind === "drop") {
    const msg = e.msg as PaxosMessage;
    // Accepted messages to learners that are down say nothing new.
    if (e.reason === "crashed" && msg.type === "accepted") return undefined;
    const why = e.reason === "crashed" ? `node ${e.to} is down` : e.reason === "partition" ? "the link is cut" : "the network lost it";
    return `  ✗ ${msg.type} from ${e.from} to ${e.to} is lost: ${why}.`;
  }
  return describeFaultEvent(e);
}

function describeSend(from: number, to: number, msg: PaxosMessage): string | undefined {
  switch (msg.type) {
    // Broadcasts are narrated once, on the copy a node sends itself (every node is an acceptor and a learner).
    case "prepare":
      return from === to ? `Proposer ${from} sends prepare n=${formatBallot(msg.n)} to every acceptor: "promise to ignore anything numbered lower".` : undefined;
    case "accept":
      return from === to ? `Proposer ${from} sends accept n=${formatBallot(msg.n)} with value '${msg.v}' to every acceptor.` : undefined;
    case "accepted":
      return from === to ? `Acceptor ${from} accepts n=${formatBallot(msg.n)} value '${msg.v}' (persisted) and tells every learner.` : undefined;
    case "promise":
      return `Acceptor ${from} promises n=${formatBallot(msg.n)} to proposer ${to} and reports ${msg.accepted === undefined ? "no accepted value" : `it accepted '${msg.accepted.v}' at n=${formatBallot(msg.accepted.n)}`}.`;
    case "nack":
      return `Acceptor ${from} refuses ${msg.phase} n=${formatBallot(msg.n)} from proposer ${to}: it has promised n=${formatBallot(msg.promised)}.`;
    case "forward":
      return `Node ${from} is not the distinguished proposer: it hands its client's value '${msg.v}' to proposer ${to}.`;
  }
}
