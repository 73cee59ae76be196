// `npm run lesson` with a lesson that runs real software (lesson 12): listed with its requirement, its own options, its routing.

import { describe, expect, it, vi } from "vitest";
import { main, parseLessonArgs } from "../src/lesson.js";

const viaNpm = (extra: Record<string, string> = {}) => ({ npm_lifecycle_event: "lesson", ...extra });

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const lines: string[] = [];
  const errors: string[] = [];
  const spy = vi.spyOn(console, "error").mockImplementation((...a: unknown[]) => void errors.push(a.join(" ")));
  try {
    const code = await main(argv, {}, (l) => lines.push(l));
    return { code, out: lines.join("\n"), err: errors.join("\n") };
  } finally {
    spy.mockRestore();
  }
}

describe("a lesson with a live run", () => {
  it("is listed with what it needs installed, beside its simulated scenario", async () => {
    const { code, out } = await run([]);
    expect(code).toBe(0);
    expect(out).toMatch(/12 {2}Raft in production/);
    expect(out).toMatch(/real software: needs etcd 3\.4 or newer \(apt-get install etcd-server\)/);
    expect(out).toMatch(/same-faults-simulated/);
  });

  it("reads its own options as checked integers, also when npm swallowed them", () => {
    expect(parseLessonArgs(["12", "--port", "34000", "--election-timeout", "500", "--heartbeat", "50", "--rounds", "3"], viaNpm()).live).toEqual({ port: 34000, "election-timeout": 500, heartbeat: 50, rounds: 3 });
    expect(parseLessonArgs(["12"], viaNpm({ npm_config_port: "34000" })).live).toEqual({ port: 34000 });
    expect(() => parseLessonArgs(["12", "--port", "high"], viaNpm())).toThrow(/--port must be a whole number, got "high"/);
    expect(() => parseLessonArgs(["12", "--election-timeout", "10"], viaNpm())).toThrow(/--election-timeout must be a whole number >= 50/);
    expect(() => parseLessonArgs(["12", "--rounds", "0"], viaNpm())).toThrow(/>= 1/);
  });

  it("shows its options in the help, named with the lesson", async () => {
    const { out } = await run(["--help"]);
    expect(out).toMatch(/--port N +lesson 12: first port to try/);
    expect(out).toMatch(/--election-timeout MS +lesson 12:/);
  });

  it("refuses --step (real time cannot wait for Enter) and an unknown variant, listing the real run's", async () => {
    const step = await run(["12", "--step"]);
    expect(step.code).toBe(2);
    expect(step.err).toMatch(/cannot pause after every line; --step works with its simulated scenario \(--scenario same-faults-simulated\)/);
    const variant = await run(["12", "--variant", "nope"]);
    expect(variant.code).toBe(2);
    expect(variant.err).toMatch(/stale-read \(the real run\)/);
  });

  it("runs the simulated scenario when asked for it, like any other lesson's", async () => {
    const { code, out } = await run(["12", "--scenario", "same-faults-simulated"]);
    expect(code).toBe(0);
    expect(out).toMatch(/== The real run's fault schedule, in the simulator's Raft/);
    expect(out).toMatch(/RESULT:.*leader m\d killed: m\d led term \d+ after \d+ ms/);
    expect(out).toMatch(/replay: npm run lesson 12 -- --scenario same-faults-simulated --seed 1/);
  });
});
