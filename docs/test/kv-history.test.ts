// The verdict under lesson 11's player agrees with the lesson's own check, on every scenario and every "break it" variant.

import { describe, expect, it } from "vitest";
import { findLesson } from "@course/lessons";
import { verdictOf } from "../src/components/kv-history.js";

const lesson = findLesson(11);

describe("lesson 11's history verdict on the page", () => {
  for (const scenario of lesson?.scenarios ?? []) {
    for (const variant of [undefined, ...Object.keys(scenario.variants ?? {})]) {
      it(`${scenario.id}${variant ? ` (${variant})` : ""}: the same verdict as the scenario's own result`, () => {
        const run = scenario.run(variant === undefined ? { seed: scenario.defaultSeed } : { seed: scenario.defaultSeed, variant });
        const lessonSays = /NOT linearizable/.test(run.result) ? false : /linearizable/.test(run.result) ? true : undefined;
        const { result, operations } = verdictOf(run.sim.trace);
        expect(operations.length).toBeGreaterThan(0);
        expect(lessonSays, "the scenario's result states its verdict").not.toBeUndefined();
        expect(result.verdict === "ok").toBe(lessonSays);
        expect(result.verdict, "the page decides, as the lesson does").not.toBe("unknown");
      });
    }
  }
});
