// The lesson command's arguments, typed every way a student types them through npm.

import { describe, expect, it } from "vitest";
import { parseLessonArgs, replayCommand } from "../src/lesson.js";
import { UsageError } from "../src/npm-args.js";

const viaNpm = (extra: Record<string, string> = {}) => ({ npm_lifecycle_event: "lesson", ...extra });

describe("npm run lesson arguments", () => {
  it("reads options given after --", () => {
    expect(parseLessonArgs(["3", "--seed", "7", "--step"], viaNpm())).toMatchObject({ lesson: 3, seed: 7, step: true });
  });

  it("recovers --seed=7 typed before -- (npm passes it as npm_config_seed=7)", () => {
    expect(parseLessonArgs(["3"], viaNpm({ npm_config_seed: "7" }))).toMatchObject({ lesson: 3, seed: 7 });
  });

  it("recovers --seed 7 typed before -- (npm_config_seed=true plus a stray 7)", () => {
    expect(parseLessonArgs(["3", "7"], viaNpm({ npm_config_seed: "true" }))).toMatchObject({ lesson: 3, seed: 7 });
  });

  it("recovers boolean flags typed before --", () => {
    expect(parseLessonArgs(["3"], viaNpm({ npm_config_json: "true", npm_config_step: "true" }))).toMatchObject({ json: true, step: true });
  });

  it("says what to type when a swallowed flag lost its value", () => {
    expect(() => parseLessonArgs(["3"], viaNpm({ npm_config_seed: "true" }))).toThrow(/npm run lesson -- --seed N/);
  });

  it("ignores npm_config_* settings when npm did not start the lesson script", () => {
    expect(parseLessonArgs(["3"], { npm_lifecycle_event: "test", npm_config_seed: "7" }).seed).toBeUndefined();
  });

  it("rejects a bad seed, a bad lesson number, unknown flags and stray arguments", () => {
    expect(() => parseLessonArgs(["3", "--seed", "abc"], viaNpm())).toThrow(/--seed must be a whole number, got "abc"/);
    expect(() => parseLessonArgs(["3", "--seed=-4"], viaNpm())).toThrow(/>= 0/);
    expect(() => parseLessonArgs(["three"], viaNpm())).toThrow(/not a lesson number/);
    expect(() => parseLessonArgs(["3", "--frobnicate"], viaNpm())).toThrow(/unknown option --frobnicate/);
    expect(() => parseLessonArgs(["3", "4"], viaNpm())).toThrow(UsageError);
  });

  it("prints a replay command that round-trips through the parser", () => {
    const cmd = replayCommand(8, "figure-8", 12, "naive-commit");
    const argv = cmd.replace(/^npm run lesson /, "").replace(" -- ", " ").split(" ");
    expect(parseLessonArgs(argv, viaNpm())).toMatchObject({ lesson: 8, scenario: "figure-8", seed: 12, variant: "naive-commit" });
  });
});
