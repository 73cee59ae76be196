// The lesson command's arguments, typed every way a student types them through npm.

import { describe, expect, it } from "vitest";
import { parseLessonArgs, replayCommand } from "../src/lesson.js";
import { UsageError } from "../src/npm-args.js";

const viaNpm = (extra: Record<string, string> = {}) => ({ npm_lifecycle_event: "lesson", ...extra });

describe("npm run lesson arguments", () => {
  it("reads options given after --", () => {
    expect(parseLessonArgs(["3", "--seed", "7", "--step"], viaNpm())).toMatchObject({ lesson: 3, seed: 7, step: "labels" });
  });

  it("reads --step bare (pause at labelled steps), --step=event and --step event (pause at every line)", () => {
    expect(parseLessonArgs(["3", "--step"], viaNpm()).step).toBe("labels");
    expect(parseLessonArgs(["3", "--step=event"], viaNpm()).step).toBe("event");
    expect(parseLessonArgs(["3", "--step", "event"], viaNpm()).step).toBe("event");
    expect(parseLessonArgs(["3", "--step", "--seed", "2"], viaNpm())).toMatchObject({ step: "labels", seed: 2 });
    expect(parseLessonArgs(["3"], viaNpm({ npm_config_step: "event" })).step).toBe("event");
    expect(parseLessonArgs(["3"], viaNpm()).step).toBeUndefined();
    expect(() => parseLessonArgs(["3", "--step=sometimes"], viaNpm())).toThrow(/--step must be "labels" or "event", got "sometimes"/);
  });

  it("recovers --seed=7 typed before -- (npm passes it as npm_config_seed=7)", () => {
    expect(parseLessonArgs(["3"], viaNpm({ npm_config_seed: "7" }))).toMatchObject({ lesson: 3, seed: 7 });
  });

  it("recovers --seed 7 typed before -- (npm_config_seed=true plus a stray 7)", () => {
    expect(parseLessonArgs(["3", "7"], viaNpm({ npm_config_seed: "true" }))).toMatchObject({ lesson: 3, seed: 7 });
  });

  it("recovers boolean flags typed before --, and a bare --step", () => {
    expect(parseLessonArgs(["3"], viaNpm({ npm_config_json: "true", npm_config_step: "true" }))).toMatchObject({ json: true, step: "labels" });
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

  it("gives --seed -1 the same clear message as --seed=-1", () => {
    const message = (argv: string[]) => {
      try {
        parseLessonArgs(argv, viaNpm());
      } catch (e) {
        return (e as Error).message;
      }
      return "no error";
    };
    expect(message(["3", "--seed", "-1"])).toBe("--seed must be a whole number >= 0, got -1");
    expect(message(["3", "--seed=-1"])).toBe(message(["3", "--seed", "-1"]));
  });

  it("answers `npm run lesson 3 4` with commands that work", () => {
    let message = "";
    try {
      parseLessonArgs(["3", "4"], viaNpm());
    } catch (e) {
      message = (e as Error).message;
    }
    const commands = [...message.matchAll(/`npm run lesson ([^`]*)`/g)].map((m) => (m[1] as string).replace(" -- ", " ").split(" "));
    expect(commands).toEqual([["4"], ["3", "--seed", "4"]]);
    expect(commands.map((argv) => parseLessonArgs(argv, viaNpm()))).toMatchObject([{ lesson: 4 }, { lesson: 3, seed: 4 }]);
    let other = "";
    try {
      parseLessonArgs(["3", "fast"], viaNpm());
    } catch (e) {
      other = (e as Error).message;
    }
    const example = /`npm run lesson ([^`]*)`/.exec(other)?.[1]?.replace(" -- ", " ").split(" ") ?? [];
    expect(parseLessonArgs(example, viaNpm())).toMatchObject({ lesson: 3, seed: 7 });
  });

  it("prints a replay command that round-trips through the parser", () => {
    const cmd = replayCommand(8, "figure-8", 12, "naive-commit");
    const argv = cmd.replace(/^npm run lesson /, "").replace(" -- ", " ").split(" ");
    expect(parseLessonArgs(argv, viaNpm())).toMatchObject({ lesson: 8, scenario: "figure-8", seed: 12, variant: "naive-commit" });
  });
});
