// Narration of two-phase commit trace events in words.

import type { TraceEvent } from "@course/sim";
import type { TwoPcMessage } from "./messages.js";

/** One line for a 2PC protocol event (messages and their loss), or undefined for anything else. */
export function describeTwoPcEvent(e: TraceEvent): string | undefined {
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
        return `Coordinator ${e.from} tells participant ${e.to}: ${msg.decision.toUpperCase()} ${msg.txn}.`;
      case "ack":
        return `Participant ${e.from} has finished ${msg.txn} and acknowledges.`;
      case "status-query":
        return `Participant ${e.from} is in doubt about ${msg.txn} and asks coordinator ${e.to} what was decided.`;
    }
  }
  if (e.kind === "drop") {
    const msg = e.msg as TwoPcMessage;
    const why = e.reason === "crashed" ? `node ${e.to} is down` : e.reason === "partition" ? "the link is cut" : "the network lost it";
    return `  ✗ ${msg.type} from ${e.from} to ${e.to} is lost: ${why}.`;
  }
  return undefined;
}
