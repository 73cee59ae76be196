// Tests of `npm run grade`: argument parsing (npm's swallowed flags), the score report, JSON, Markdown, Classroom and JUnit, and real runs.

import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { buildReport, exerciseFromFile, formatReport, pointsFromName, readManifest, type RunOutcome } from "@course/lessons/grading/index.js";
import { main, parseGradeArgs } from "../src/grade.js";
import { classroomOutputs, jsonReport, markdownSummary } from "../src/grade-report.js";
import { UsageError } from "../src/npm-args.js";

const npm = (extra: Record<string, string>) => ({ npm_lifecycle_event: "grade", ...extra });

describe("grade arguments", () => {
  it("reads a lesson number and options after --", () => {
    expect(parseGradeArgs(["5", "--seeds", "20", "--json", "s.json"], {})).toEqual({ lesson: 5, seeds: 20, json: "s.json", impl: "student", help: false });
  });

  it("recovers flags npm swallowed: `npm run grade 5 --seeds=20`", () => {
    expect(parseGradeArgs(["5"], npm({ npm_config_seeds: "20" }))).toMatchObject({ lesson: 5, seeds: 20 });
  });

  it("recovers `npm run grade 5 --seeds 20`, where npm leaves the value as a stray positional", () => {
    expect(parseGradeArgs(["5", "20"], npm({ npm_config_seeds: "true" }))).toMatchObject({ lesson: 5, seeds: 20 });
  });

  it("ignores npm settings when npm did not start the grade script", () => {
    expect(parseGradeArgs([], { npm_lifecycle_event: "test", npm_config_seeds: "20" })).toEqual({ impl: "student", help: false });
  });

  it("reads a replay (--seed, --faults, --test) and --watch, and refuses replay options that do not fit", () => {
    expect(parseGradeArgs(["6", "--seed", "17", "--faults", "1,4", "--test", "step 1"], {})).toMatchObject({ lesson: 6, seed: 17, faults: "1,4", test: "step 1" });
    expect(parseGradeArgs(["6", "--watch"], {})).toMatchObject({ lesson: 6, watch: true });
    expect(() => parseGradeArgs(["--faults", "1"], {})).toThrow(/only makes sense with --seed/);
    expect(() => parseGradeArgs(["--seed", "3", "--faults", "x"], {})).toThrow(/--faults must be/);
    expect(() => parseGradeArgs(["--seed", "3", "--seeds", "9"], {})).toThrow(/use one of them/);
  });

  it("rejects a bad lesson, a bad seed count and an unknown implementation with a usage error", () => {
    expect(() => parseGradeArgs(["five"], {})).toThrow(UsageError);
    expect(() => parseGradeArgs(["--seeds", "0"], {})).toThrow(/--seeds must be a whole number >= 1/);
    expect(() => parseGradeArgs(["--impl", "mine"], {})).toThrow(/--impl must be/);
  });
});

describe("grade report", () => {
  it("reads points from test names and exercises from file paths", () => {
    expect(pointsFromName("step 1: refuses a stale term [2 pt]")).toBe(2);
    expect(pointsFromName("no points here")).toBeUndefined();
    expect(exerciseFromFile("05-leader-election/exercise/request-vote.test.ts")).toEqual({ lesson: 5, id: "request-vote" });
    expect(exerciseFromFile("grading/proof.test.ts")).toBeUndefined();
  });

  const meta = (test: string, points: number, kind: "unit" | "simulation" = "unit") => ({ lesson: 5, exercise: "request-vote", exerciseTitle: "RequestVote", test, points, kind });
  const run: RunOutcome = {
    wallMs: 1234,
    timedOut: false,
    unhandledErrors: [],
    modules: [
      {
        file: "05-leader-election/exercise/request-vote.test.ts",
        project: "",
        errors: [],
        tests: [
          { file: "05-leader-election/exercise/request-vote.test.ts", project: "", name: "a [2 pt]", fullName: "x > a [2 pt]", state: "passed", durationMs: 3, grading: meta("a", 2) },
          {
            file: "05-leader-election/exercise/request-vote.test.ts",
            project: "",
            name: "b <&> [3 pt]",
            fullName: "x > b [3 pt]",
            state: "failed",
            error: "Figure 2, step 1\n  expected: false\n  got: true",
            durationMs: 5,
            grading: { ...meta("b <&>", 3, "simulation"), seedsRun: 10, seedsFailed: 2, failedSeeds: [4, 9], schedules: 10, virtualMs: 50_000 },
          },
        ],
      },
      { file: "grading/proof.test.ts", project: "", errors: [], tests: [{ file: "grading/proof.test.ts", project: "", name: "proof", fullName: "proof", state: "passed", durationMs: 1 }] },
    ],
  };

  it("adds up tests and points per exercise and keeps the first failure", () => {
    const r = buildReport(run, "student", [5], 8);
    expect(r.exercises).toHaveLength(1);
    const e = r.exercises[0]!;
    expect([e.passed, e.tests.length, e.points, e.total]).toEqual([1, 2, 2, 5]);
    expect(e.firstFailure).toMatch(/^b <&> \[3 pt\]\nFigure 2, step 1/);
    expect(r.allPassed).toBe(false);
    expect(r.schedules).toBe(10);
    expect(r.virtualMs).toBe(50_000);
    expect(r.stress).toEqual({ freshSeeds: 8, seedsRun: 10, seedsFailed: 2 });
  });

  it("prints a table row per exercise, the total, the failure rate and the full first failure", () => {
    const text = formatReport(buildReport(run, "student", [5], 8)).join("\n");
    expect(text).toMatch(/5\s+RequestVote \(request-vote\)\s+1\/2\s+2\/5\s+b <&> \[3 pt\]\n/);
    expect(text).toContain("Total: 2/5 points (40%), 1/2 tests passed, 10 simulated fault schedules");
    expect(text).toContain("2 of 10 simulated seeds failed (20.0%)");
    expect(text).toContain("  got: true");
  });

  it("writes JSON, a Markdown summary with escaped cells, and per-lesson points for GitHub Classroom", () => {
    const r = buildReport(run, "student", [5], undefined, { digest: "ab".repeat(32), matchesCourse: false, differences: ["changed: lessons/05-leader-election/exercise/request-vote.test.ts"] });
    const json = JSON.parse(jsonReport(r)) as { points: number; total: number; suites: { digest: string }; exercises: { tests: { name: string; passed: boolean }[] }[] };
    expect([json.points, json.total]).toEqual([2, 5]);
    expect(json.suites.digest).toBe("ab".repeat(32));
    expect(json.exercises[0]?.tests.map((t) => [t.name, t.passed])).toEqual([["a", true], ["b <&>", false]]);
    const md = markdownSummary(r);
    expect(md).toContain("## Score: 2/5 points (40%)");
    expect(md).toContain("| 5 | RequestVote (request-vote) | 1/2 | 2/5 |");
    expect(md).toContain("**Graded suites differ from the course's**");
    const lines = classroomOutputs(r).trim().split("\n");
    expect(lines).toHaveLength(1);
    const [key, value] = lines[0]!.split("=");
    expect(key).toBe("lesson05");
    const result = JSON.parse(Buffer.from(value!, "base64").toString("utf8")) as { status: string; max_score: number; tests: { status: string; score: number; message?: string }[] };
    expect(result.max_score).toBe(5);
    expect(result.status).toBe("fail");
    expect(result.tests.map((t) => [t.status, t.score])).toEqual([["pass", 2], ["fail", 0]]);
    expect(result.tests[1]?.message).toContain("Figure 2, step 1");
  });

  it("shows an untouched stub as one 'not implemented yet' line, its graded tests as not passed, and no pass", () => {
    const file = "06-log-replication/exercise/append-entries.test.ts";
    const gate = { lesson: 6, exercise: "append-entries", exerciseTitle: "AppendEntries", test: "not implemented yet", points: 0, kind: "gate" as const };
    const stub: RunOutcome = {
      wallMs: 10,
      timedOut: false,
      unhandledErrors: [],
      modules: [
        {
          file,
          project: "",
          errors: [],
          tests: [
            { file, project: "", name: "not implemented yet: edit lessons/06-log-replication/exercise/append-entries.ts", fullName: "x", state: "failed", error: "not implemented yet: edit lessons/06-log-replication/exercise/append-entries.ts\n  more", durationMs: 1, grading: gate },
            { file, project: "", name: "step 1 [2 pt]", fullName: "x > step 1 [2 pt]", state: "skipped", durationMs: 0 },
            { file, project: "", name: "replicates [5 pt]", fullName: "x > replicates [5 pt]", state: "skipped", durationMs: 0 },
          ],
        },
      ],
    };
    const r = buildReport(stub, "student", [6]);
    const e = r.exercises[0]!;
    expect([e.tests.length, e.passed, e.points, e.total]).toEqual([2, 0, 0, 7]);
    expect(e.notReady).toMatch(/^not implemented yet: edit lessons\/06-log-replication/);
    expect(r.allPassed).toBe(false);
    const text = formatReport(r, { width: 200 }).join("\n");
    expect(text).toMatch(/6\s+AppendEntries \(append-entries\)\s+0\/2\s+0\/7\s+not implemented yet: edit lessons\/06-log-replication\/exercise\/append-entries.ts/);
    expect(text.match(/not implemented yet/g)).toHaveLength(2); // the table row and the one explanation below it
  });

  it("passes only when every graded test passed and nothing timed out", () => {
    const good: RunOutcome = { ...run, modules: [{ ...run.modules[0]!, tests: [run.modules[0]!.tests[0]!] }] };
    expect(buildReport(good, "reference", []).allPassed).toBe(true);
    expect(buildReport({ ...good, timedOut: true }, "reference", []).allPassed).toBe(false);
    expect(buildReport({ ...good, modules: [{ ...good.modules[0]!, errors: ["SyntaxError"] }] }, "reference", []).allPassed).toBe(false);
    expect(buildReport({ ...good, modules: [] }, "reference", []).allPassed).toBe(false);
  });
});

describe("npm run grade, end to end", () => {
  const script = fileURLToPath(new URL("../src/grade.ts", import.meta.url));
  const grade = (args: string[]) => {
    const dir = mkdtempSync(join(tmpdir(), "course-grade-"));
    const file = join(dir, "score.json");
    let status = 0;
    let out = "";
    try {
      const reports = ["--json", file, "--junit", join(dir, "score.xml"), "--summary", join(dir, "summary.md"), "--classroom", join(dir, "outputs.txt")];
      out = execFileSync(process.execPath, ["--import", "tsx", script, ...args, ...reports], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, COURSE_TRACE_DIR: dir } });
    } catch (e) {
      status = (e as { status: number }).status;
      out = (e as { stdout: string }).stdout;
    }
    type Json = {
      allPassed: boolean;
      points: number;
      total: number;
      schedules: number;
      suites: { digest: string; matchesCourse: boolean };
      exercises: { tests: { kind: string; passed: boolean; replay?: string; traceFile?: string }[] }[];
    };
    const text = (name: string) => readFileSync(join(dir, name), "utf8");
    return { status, out, dir, json: JSON.parse(readFileSync(file, "utf8")) as Json, xml: text("score.xml"), summary: text("summary.md"), outputs: text("outputs.txt") };
  };

  it(
    "scores the reference of lesson 2 at 100%, exits 0, and writes the JSON, summary and Classroom reports",
    async () => {
      const r = grade(["2", "--impl", "reference"]);
      expect(r.status, r.out).toBe(0);
      expect(r.json.allPassed).toBe(true);
      expect(r.json.points).toBe(r.json.total);
      expect(r.json.schedules).toBeGreaterThan(20);
      expect(r.out).toMatch(/Total: (\d+)\/\1 points \(100%\)/);
      expect(r.json.suites).toMatchObject({ matchesCourse: true, digest: readManifest()?.digest });
      expect(r.summary).toContain(`## Score: ${r.json.total}/${r.json.total} points (100%)`);
      const [runner, value] = r.outputs.trim().split("=");
      expect(runner).toBe("lesson02");
      expect(JSON.parse(Buffer.from(value!, "base64").toString("utf8"))).toMatchObject({ status: "pass", max_score: r.json.total });
      // The report it wrote passes --verify-report; one whose digest was changed does not.
      const lines: string[] = [];
      const file = join(r.dir, "score.json");
      expect(await main(["--verify-report", file], {}, (l) => lines.push(l))).toBe(0);
      writeFileSync(file, JSON.stringify({ ...r.json, suites: { ...r.json.suites, digest: "0".repeat(64) } }));
      expect(await main(["--verify-report", file], {}, (l) => lines.push(l))).toBe(1);
      expect(lines.join("\n")).toContain("NOT graded with the course's suites");
    },
    120_000,
  );

  it(
    "scores a planted bug below 100%, exits 1, and prints the seed, the replay command and the trace file",
    () => {
      const r = grade(["2", "--impl", "mutant:promise-hides-accepted"]);
      expect(r.status).toBe(1);
      expect(r.json.allPassed).toBe(false);
      expect(r.json.points).toBeLessThan(r.json.total);
      expect(r.xml).toContain("<failure");
      expect(r.xml).toMatch(/<testcase [^>]*name="[^"]*\[\d+ pt\]"/);
      expect(r.out).toContain("First failure of each exercise");
      const sim = r.json.exercises[0]?.tests.find((t) => t.kind === "simulation" && !t.passed);
      expect(sim?.replay).toMatch(/^npm run grade 2 -- --impl mutant:promise-hides-accepted --seed \d+( --faults \S+)? --test "[^"]+"$/);
      expect(sim?.traceFile?.startsWith(r.dir)).toBe(true);
      const trace = JSON.parse(readFileSync(sim?.traceFile as string, "utf8")) as { format: string; events: { kind: string }[] };
      expect(trace.format).toBe("paxos-raft-course/trace");
      expect(trace.events.some((e) => e.kind === "violation")).toBe(true);
    },
    120_000,
  );

  it("--verify checks the working tree against the course's hashes", async () => {
    const lines: string[] = [];
    expect(await main(["--verify"], {}, (l) => lines.push(l))).toBe(0);
    expect(lines.join("\n")).toContain(`match the course's (digest ${readManifest()?.digest})`);
  });

  it("answers an unknown lesson with a usage error and status 2", () => {
    let status = 0;
    let err = "";
    try {
      execFileSync(process.execPath, ["--import", "tsx", script, "99"], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    } catch (e) {
      status = (e as { status: number }).status;
      err = (e as { stderr: string }).stderr;
    }
    expect(status).toBe(2);
    expect(err).toContain("lesson 99 has no exercise");
  });
});
