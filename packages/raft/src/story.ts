// Small helpers for narrated Raft runs: the result line, counting messages in a stretch of the trace.

import { countSends, formatCounts as formatSendCounts, type Message, type Simulation, type TraceEvent } from "@course/sim";
import type { RaftMessage } from "./types.js";

/** Record the result line in the trace and hand the run back in the shape lessons return. */
export function finishStory(sim: Simulation<RaftMessage>, result: string): { sim: Simulation<Message>; result: string } {
  sim.note(result, { style: "result" });
  return { sim: sim as unknown as Simulation<Message>, result };
}

/** Messages sent from trace position `from` on, by type. */
export function sendsByType(trace: readonly TraceEvent[], from = 0): Record<string, number> {
  return countSends(trace, from).byType;
}

/** "2 AppendEntries, 4 RequestVote": types in alphabetical order, or "none". */
export function formatCounts(counts: Record<string, number>): string {
  const sorted = Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)));
  return formatSendCounts(sorted) || "none";
}
