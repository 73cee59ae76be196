// Measuring message delays and message counts from a trace.

import { describe, expect, it } from "vitest";
import type { TraceEvent } from "../src/index.js";
import { countSends, formatCounts, messageDelaysUntil, messageDepths } from "../src/index.js";

let seq = 0;
const ev = (body: Record<string, unknown>): TraceEvent => ({ seq: seq++, step: 0, time: 0, ...body }) as unknown as TraceEvent;
const msg = (type: string) => ({ type });

describe("trace metrics", () => {
  seq = 0;
  const trace: TraceEvent[] = [
    ev({ kind: "client-request", node: 0, request: { id: 0, client: "c", op: "x" } }),
    ev({ kind: "send", msgId: 0, from: 0, to: 1, msg: msg("ping"), deliverAt: 1 }),
    ev({ kind: "deliver", msgId: 0, from: 0, to: 1, msg: msg("ping") }),
    ev({ kind: "send", msgId: 1, from: 1, to: 0, msg: msg("pong"), deliverAt: 2 }),
    ev({ kind: "duplicate", msgId: 1, copyId: 2, from: 1, to: 0, deliverAt: 3 }),
    ev({ kind: "deliver", msgId: 2, from: 1, to: 0, msg: msg("pong") }),
    ev({ kind: "note", text: "done" }),
    ev({ kind: "timer", node: 0, name: "t" }),
    ev({ kind: "send", msgId: 3, from: 0, to: 1, msg: msg("ping"), deliverAt: 4 }),
  ];
  it("counts hops along causal chains, duplicates included, restarting at timers", () => {
    expect(messageDepths(trace)).toEqual(new Map([[0, 1], [1, 2], [2, 2], [3, 1]]));
    expect(messageDelaysUntil(trace, (e) => e.kind === "note")).toBe(2);
    expect(messageDelaysUntil(trace, (e) => e.kind === "note", 7)).toBeUndefined();
  });
  it("counts sends by type within a range", () => {
    expect(countSends(trace)).toEqual({ total: 3, byType: { ping: 2, pong: 1 } });
    expect(countSends(trace, 2, 8).total).toBe(1);
    expect(formatCounts({ ping: 2, pong: 1 })).toBe("2 ping, 1 pong");
  });
});
