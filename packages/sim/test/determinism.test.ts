// Determinism: the same (scenario, seed, fault schedule) gives a byte-identical trace, here and in a fresh process.

import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseTrace, serializeTrace, toTraceFile } from "../src/index.js";
import { gossipRun } from "./gossip-run.js";

const sha = (text: string) => createHash("sha256").update(text).digest("hex");

describe("determinism", () => {
  it("gives byte-identical trace JSON on repeated runs", () => {
    const a = serializeTrace(toTraceFile(gossipRun(42), "gossip"));
    const b = serializeTrace(toTraceFile(gossipRun(42), "gossip"));
    expect(a.length).toBeGreaterThan(10_000);
    const kinds = new Set(JSON.parse(a).events.map((e: { kind: string }) => e.kind));
    for (const k of ["crash", "restart", "pause", "resume", "partition", "cut", "heal", "link", "drop", "duplicate", "persist"]) expect(kinds).toContain(k);
    expect(sha(a)).toBe(sha(b));
  });

  it("gives the same trace in a fresh process", () => {
    const here = sha(serializeTrace(toTraceFile(gossipRun(42), "gossip")));
    const script = fileURLToPath(new URL("./gossip-run.ts", import.meta.url));
    const there = execFileSync(process.execPath, ["--import", "tsx", script, "42"], { encoding: "utf8" }).trim();
    expect(there).toBe(here);
  });

  it("gives different traces for different seeds", () => {
    const a = serializeTrace(toTraceFile(gossipRun(1), "gossip"));
    const b = serializeTrace(toTraceFile(gossipRun(2), "gossip"));
    expect(sha(a)).not.toBe(sha(b));
  });

  it("round-trips a trace through JSON without loss", () => {
    const file = toTraceFile(gossipRun(7), "gossip");
    const text = serializeTrace(file);
    const back = parseTrace(text);
    expect(back).toEqual(JSON.parse(text));
    expect(serializeTrace(back)).toBe(text);
    expect(back.events.length).toBe(file.events.length);
  });

  it("rejects files that are not traces with a clear message", () => {
    expect(() => parseTrace("{nope")).toThrow(/not JSON/);
    expect(() => parseTrace('{"format":"x"}')).toThrow(/format/);
  });
});
