// Small helpers for narrated Raft runs: the result line, counting messages in a stretch of the trace.

import type { Message, Simulation, TraceEvent } from "@course/sim";
import type { RaftMessage } from "./types.js";

/** Record the result line in the trace and hand the run back in the shape lessons return. */
export function finishStory(sim: Simulation<RaftMessage>, result: string): { sim: Simulation<Message>; result: string } {
  sim.note(result, { style: "result" });
  return { sim: sim as unknown as Simulation<Message>, result };
}

/** Messages sent from trace position `from` on, by type. */
export function sendsByType(trace: readonly TraceEvent[], from = 0): Record<string, number> {
  const out: Record<string, number> = {};
  for (let i = from; i < trace.length; i++) {
    const e = trace[i] as TraceEvent;
    if (e.kind === "send") out[e.msg.type] = (out[e.msg.type] ?? 0) + 1;
  }
  return out;
}

export function formatCounts(counts: Record<string, number>): string {
  const parts = Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${v} ${k}`);
  return parts.length > 0 ? parts.join(", ") : "none";
}
