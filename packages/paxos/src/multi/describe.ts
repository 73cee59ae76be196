// Narration of Multi-Paxos trace events in words; heartbeats and their answers stay quiet.

import type { TraceEvent } from "@course/sim";
import { formatBallot } from "../ballot.js";
import { describeFaultEvent } from "../describe-faults.js";
import type { ClientCommand, Command, MultiPaxosMessage } from "./messages.js";
import { clientCommandOf } from "./sessions.js";

/** "'x=1'", or "no-op". */
export function formatCommand(v: Command): string {
  return v === null ? "no-op" : `'${v.op}'`;
}

/** "'x=1' (alice's #2)": the command with the name the state machine knows it by. */
export function formatClientCommand(v: ClientCommand): string {
  return `${formatCommand(v)} (${v.client}'s #${v.seq})`;
}

/** One line for a trace event of a Multi-Paxos run, or undefined when the event is not worth a line. */
export function describeMultiPaxosEvent(e: TraceEvent): string | undefined {
  if (e.kind === "send") return describeSend(e.from, e.to, e.msg as MultiPaxosMessage);
  if (e.kind === "client-request") {
    const command = clientCommandOf(e.request);
    if (!("error" in command)) return `Client ${e.request.client} asks node ${e.node} to get ${formatClientCommand(command)} agreed.`;
  }
  if (e.kind === "client-reply") {
    const r = e.result as { slot?: unknown; command?: unknown } | null;
    if (typeof r?.slot === "number" && typeof r.command === "string") return `Node ${e.node} answers client ${e.client}: '${r.command}' was executed in slot ${r.slot}.`;
  }
  if (e.kind === "drop") {
    const msg = e.msg as MultiPaxosMessage;
    if (msg.type === "heartbeat" || msg.type === "status" || (e.reason === "crashed" && msg.type === "accepted")) return undefined;
    const why = e.reason === "crashed" ? `node ${e.to} is down` : e.reason === "partition" ? "the link is cut" : "the network lost it";
    return `  ✗ ${msg.type} from ${e.from} to ${e.to} is lost: ${why}.`;
  }
  return describeFaultEvent(e);
}

function describeSend(from: number, to: number, msg: MultiPaxosMessage): string | undefined {
  switch (msg.type) {
    case "prepare":
      return from === to ? `Node ${from} sends prepare n=${formatBallot(msg.n)} for all slots from ${msg.from} on to every acceptor.` : undefined;
    case "promise": {
      const acc = msg.accepted.length === 0 ? "no accepted values" : `accepted ${msg.accepted.map(([s, a]) => `slot ${s}=${formatCommand(a.v)} at n=${formatBallot(a.n)}`).join(", ")}`;
      return `Acceptor ${from} promises n=${formatBallot(msg.n)} to node ${to} and reports ${acc}.`;
    }
    case "accept":
      return from === to ? `Leader ${from} sends accept n=${formatBallot(msg.n)} slot ${msg.slot} = ${formatCommand(msg.v)} to every acceptor.` : undefined;
    case "accepted":
      return from === to ? `Acceptor ${from} accepts slot ${msg.slot} = ${formatCommand(msg.v)} at n=${formatBallot(msg.n)} and tells every learner.` : undefined;
    case "nack":
      return `Acceptor ${from} refuses ${msg.phase} n=${formatBallot(msg.n)} from node ${to}: it has promised n=${formatBallot(msg.promised)}.`;
    case "catchup":
      return `Node ${from} is behind and asks node ${to} for the chosen commands from slot ${msg.from} on.`;
    case "chosen":
      return `Node ${from} sends node ${to} the chosen commands of slot${msg.entries.length > 1 ? "s" : ""} ${msg.entries.map(([s]) => s).join(", ")}.`;
    case "forward":
      return `Node ${from} forwards ${formatClientCommand(msg.command)} to leader ${to}.`;
    case "heartbeat":
    case "status":
      return undefined;
  }
}
