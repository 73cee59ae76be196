// Narration of two-phase commit trace events in words, including the Paxos round that can replicate the decision.

import type { NodeId, TraceEvent } from "@course/sim";
import { formatBallot } from "@course/paxos";
import type { TwoPcMessage } from "./messages.js";

/**
 * One line for a 2PC protocol event (messages when they are sent, and their loss), or undefined for anything
 * else. `coordinator` names the coordinating node, so that a participant announcing a decision is called one.
 */
export function describeTwoPcEvent(e: TraceEvent, coordinator: NodeId = 0): string | undefined {
  const who = (id: NodeId) => (id === coordinator ? `Coordinator ${id}` : `Participant ${id}`);
  if (e.kind === "send") {
    const msg = e.msg as TwoPcMessage;
    switch (msg.type) {
      case "prepare":
        return `Coordinator ${e.from} asks participant ${e.to} to prepare ${msg.txn}.`;
      case "vote":
        return msg.yes
          ? `Participant ${e.from} votes YES on ${msg.txn}: it has logged "prepared" and may no longer abort on its own.`
          : `Participant ${e.from} votes NO on ${msg.txn} and aborts it.`;
      case "decision":
        return msg.answersQuery
          ? `${who(e.from)} answers participant ${e.to}'s status query: ${msg.decision.toUpperCase()} ${msg.txn}.`
          : `${who(e.from)} tells participant ${e.to}: ${msg.decision.toUpperCase()} ${msg.txn}.`;
      case "ack":
        return `Participant ${e.from} has finished ${msg.txn} and acknowledges.`;
      case "status-query":
        return `Participant ${e.from} is in doubt about ${msg.txn} and asks coordinator ${e.to} what was decided.`;
      // A proposer's broadcast is told once, on the copy it sends its own acceptor.
      case "paxos-prepare":
        return e.from === e.to ? `${who(e.from)} asks every acceptor to promise n=${formatBallot(msg.n)} for ${msg.txn}'s decision.` : undefined;
      case "paxos-promise":
        return `Acceptor ${e.from} promises n=${formatBallot(msg.n)} to node ${e.to} and reports ${msg.accepted === undefined ? `no decision accepted for ${msg.txn}` : `${msg.accepted.v.toUpperCase()} accepted for ${msg.txn} at n=${formatBallot(msg.accepted.n)}`}.`;
      case "paxos-accept":
        return e.from === e.to ? `${who(e.from)} asks every acceptor to accept ${msg.v.toUpperCase()} for ${msg.txn} at n=${formatBallot(msg.n)}.` : undefined;
      case "paxos-accepted":
        return `Acceptor ${e.from} accepts ${msg.v.toUpperCase()} for ${msg.txn} at n=${formatBallot(msg.n)} (persisted) and tells node ${e.to}.`;
      case "paxos-nack":
        return `Acceptor ${e.from} refuses ${msg.phase} n=${formatBallot(msg.n)} for ${msg.txn} from node ${e.to}: it has promised n=${formatBallot(msg.promised)}.`;
    }
  }
  if (e.kind === "drop") {
    const msg = e.msg as TwoPcMessage;
    const why = e.reason === "crashed" ? `node ${e.to} is down` : e.reason === "partition" ? "the link is cut" : "the network lost it";
    return `  ✗ ${msg.type} from ${e.from} to ${e.to} is lost: ${why}.`;
  }
  return undefined;
}
