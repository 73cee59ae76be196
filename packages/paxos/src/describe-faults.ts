// Narration for events every protocol shares: crashes, restarts, network faults, client requests and replies.

import type { TraceEvent } from "@course/sim";

export function describeFaultEvent(e: TraceEvent): string | undefined {
  switch (e.kind) {
    case "crash":
      return `Node ${e.node} crashes: it stops, and everything it had not persisted is gone.`;
    case "restart":
      return `Node ${e.node} restarts from its durable storage.`;
    case "pause":
      return `Node ${e.node} freezes (a long pause); messages wait for it.`;
    case "resume":
      return `Node ${e.node} resumes and handles what arrived meanwhile.`;
    case "partition":
      return `The network splits into ${e.groups.map((g) => `[${g.join(", ")}]`).join(" and ")}.`;
    case "cut":
      return e.from === e.to ? `Node ${e.from}'s link to itself is cut: the messages it sends to itself are lost.` : `The link from node ${e.from} to node ${e.to} is cut (one way).`;
    case "isolate":
      return `Node ${e.node} is cut off from every other node.`;
    case "heal":
      return e.from === undefined ? "The network heals: every link works again." : `The link from node ${e.from} to node ${e.to} works again.`;
    case "client-request":
      return `A client asks node ${e.node} to get ${JSON.stringify(e.request.op)} agreed.`;
    case "client-reply":
      return `Node ${e.node} answers the client: ${JSON.stringify(e.result)}.`;
    case "violation":
      return `INVARIANT VIOLATED (${e.checker}): ${e.message}`;
    default:
      return undefined;
  }
}
