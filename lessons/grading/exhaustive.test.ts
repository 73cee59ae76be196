// Tests of the exhaustive graded tests: a search that passes on the reference, a counterexample reported with its trace and replay, and the score.

import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseTrace } from "@course/sim";
import { requestVoteExercise } from "../05-leader-election/exercise/exercise.js";
import { boundText, runSearches, rulesLabelFor, type ExhaustiveTest } from "./exhaustive.js";
import { buildReport, formatReport } from "./score.js";
import type { GradingMeta } from "./meta.js";
import type { RunOutcome } from "./collect.js";

type Rules = (typeof requestVoteExercise)["reference"];
const NAME = "every election of 3 servers";
const spec: ExhaustiveTest<Rules> = {
  hint: "follow the votes",
  searches: (impl) => [{ options: { protocol: "raft", rules: impl, depth: 8, drops: 0, timers: 2, crashes: 0, requests: 0, lifetime: 0 } }],
};
const meta = (): GradingMeta => ({ lesson: 5, exercise: "request-vote", exerciseTitle: "RequestVote", test: NAME, points: 4, kind: "exhaustive" });

describe("exhaustive graded tests", () => {
  const saved = { ...process.env };
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "grade-traces-"));
    process.env.COURSE_TRACE_DIR = dir;
    delete process.env.COURSE_TRACES;
    delete process.env.COURSE_IMPL_MAP;
  });
  afterEach(() => {
    process.env = { ...saved };
  });

  it("passes the reference and counts the states it searched", () => {
    process.env.COURSE_IMPL = "reference";
    const m = meta();
    expect(runSearches(requestVoteExercise, NAME, spec, requestVoteExercise.reference, m)).toBeUndefined();
    expect(m.distinctStates).toBeGreaterThan(100);
    expect(m.replay).toBeUndefined();
  });

  it("fails a mutant with the invariant, the counterexample's length, the bound, a trace that names the rules, and a replay command", () => {
    process.env.COURSE_IMPL = "mutant:vote-for-everyone";
    const m = meta();
    const impl = { ...requestVoteExercise.reference, ...requestVoteExercise.mutants["vote-for-everyone"]?.functions };
    const failure = runSearches(requestVoteExercise, NAME, spec, impl, m);
    expect(failure?.message).toMatch(/the search found a violation of Election Safety after \d+ steps/);
    expect(failure?.message).toContain(`bound: ${boundText({ depth: 8, maxStates: 300_000, drops: 0, duplicates: 0, crashes: 0, timers: 2, requests: 0, lifetime: 0 })}`);
    expect(m.replay).toMatch(/^npm run explore -- --replay .*05-request-vote-every-election-of-3-servers-search\.json$/);
    expect(failure?.message).toContain(`replay: ${m.replay}`);
    expect(failure?.message).toContain('again:  npm run grade 5 -- --impl mutant:vote-for-everyone --test "every election of 3 servers"');
    const trace = parseTrace(readFileSync(m.traceFile as string, "utf8"));
    expect((trace.options?.explore as { rulesLabel?: string }).rulesLabel).toBe("5/request-vote/vote-for-everyone");
    expect(trace.options?.grading).toMatchObject({ lesson: 5, exercise: "request-vote", test: NAME });
  });

  it("names a student's or a file's code by exercise and implementation, so the explorer can load it again", () => {
    process.env.COURSE_IMPL = "file:grading/solutions/05-request-vote/correct-nested-ifs.ts";
    expect(rulesLabelFor(requestVoteExercise)).toBe("5/request-vote@file:grading/solutions/05-request-vote/correct-nested-ifs.ts");
    process.env.COURSE_IMPL = "student";
    expect(rulesLabelFor(requestVoteExercise)).toBe("5/request-vote@student");
  });

  it("shows in the score like any graded test, with the states searched", () => {
    const file = "05-leader-election/exercise/request-vote.test.ts";
    const run: RunOutcome = {
      wallMs: 10,
      timedOut: false,
      unhandledErrors: [],
      modules: [{ file, project: "", errors: [], tests: [{ file, project: "", name: `${NAME} [4 pt]`, fullName: NAME, state: "passed", durationMs: 900, grading: { ...meta(), distinctStates: 1220, statesExplored: 2000 } }] }],
    };
    const report = buildReport(run, "student", [5]);
    expect(report.exercises[0]?.tests[0]).toMatchObject({ kind: "exhaustive", points: 4, passed: true, distinctStates: 1220 });
    expect(report.statesSearched).toBe(1220);
    expect(formatReport(report).join("\n")).toContain("1220 states searched exhaustively");
  });
});
