// Lesson 2's run: Basic Paxos takes four message delays from request to learning, and every learner learns.

import { describe, expect, it } from "vitest";
import { messageDelaysUntil, type BasicPaxosNode } from "@course/paxos";
import { checkScenario } from "../03-paxos-failures/scenario-checks.js";
import { lesson02 } from "./index.js";

describe("lesson 2: the happy path", () => {
  for (const seed of [1, 7]) {
    it(`chooses x=42 on all five nodes in four message delays (seed ${seed})`, () => {
      const run = checkScenario(lesson02.scenarios[0] as (typeof lesson02.scenarios)[number], seed);
      expect(run.sim.violation).toBeUndefined();
      for (const id of [0, 1, 2, 3, 4]) expect(run.sim.node<BasicPaxosNode>(id)?.inspect().learned).toBe("x=42");
      const delays = messageDelaysUntil(run.sim.trace, (e) => e.kind === "state" && (e.view as { learned?: unknown }).learned != null);
      expect(delays).toBe(4);
      expect(run.result).toContain("4 message delays");
      const sent = run.sim.trace.filter((e) => e.kind === "send").length;
      expect(run.result).toContain(`${sent} messages`);
    });
  }
});
