// Benchmark of `npm run grade` with the reference bound in: wall time (median of 3) and the fault schedules it explores.

import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { median, type SectionResult } from "./run.js";

const here = dirname(fileURLToPath(import.meta.url));
const GRADE = join(here, "..", "packages", "cli", "src", "grade.ts");
const RUNS = 3;

interface GradeJson {
  readonly allPassed: boolean;
  readonly points: number;
  readonly total: number;
  readonly tests: number;
  readonly schedules: number;
  readonly virtualMs: number;
}

/** One full grading run in a fresh process, as `npm run grade -- --impl reference` would do it. */
function gradeOnce(dir: string, k: number): { wallMs: number; report: GradeJson } {
  const file = join(dir, `grade-${k}.json`);
  const start = process.hrtime.bigint();
  try {
    execFileSync(process.execPath, ["--import", "tsx", GRADE, "--impl", "reference", "--json", file], { stdio: ["ignore", "ignore", "ignore"], env: { ...process.env, COURSE_TRACES: "off" } });
  } catch {
    // A failing grade still writes its report; allPassed says what happened.
  }
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  return { wallMs, report: JSON.parse(readFileSync(file, "utf8")) as GradeJson };
}

export async function bench(): Promise<SectionResult> {
  const dir = mkdtempSync(join(tmpdir(), "course-bench-grade-"));
  const runs: { wallMs: number; report: GradeJson }[] = [];
  try {
    for (let k = 0; k < RUNS; k++) {
      process.stderr.write(`  grade: run ${k + 1}/${RUNS}\r`);
      runs.push(gradeOnce(dir, k));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  process.stderr.write("\n");
  const rows = runs.map((r, k) => ({
    run: k + 1,
    "wall s": (r.wallMs / 1000).toFixed(1),
    passed: `${r.report.points}/${r.report.total} pts${r.report.allPassed ? "" : " (FAILED)"}`,
    "fault schedules": r.report.schedules,
    "virtual s simulated": Math.round(r.report.virtualMs / 1000),
    "x real time": Math.round(r.report.virtualMs / r.wallMs),
  }));
  const wall = median(runs.map((r) => r.wallMs));
  const schedules = median(runs.map((r) => r.report.schedules));
  const virtualMs = median(runs.map((r) => r.report.virtualMs));
  const perSchedule = virtualMs / schedules;
  // A real-time lab suite lives through every simulated second: in the same wall time it covers wall / perSchedule schedules.
  const realTimeSchedules = wall / perSchedule;
  rows.push({
    run: "median" as unknown as number,
    "wall s": (wall / 1000).toFixed(1),
    passed: "",
    "fault schedules": schedules,
    "virtual s simulated": Math.round(virtualMs / 1000),
    "x real time": Math.round(virtualMs / wall),
  });
  return {
    title: `npm run grade with the reference bound in (${runs[0]?.report.tests ?? 0} graded tests), median of ${RUNS} runs`,
    rows,
    notes: [
      `goal: under 60 s; median ${(wall / 1000).toFixed(1)} s ${wall < 60_000 ? "(met)" : "(NOT met)"}`,
      `an average schedule covers ${(perSchedule / 1000).toFixed(1)} s of virtual time; a real-time suite would cover about ${realTimeSchedules.toFixed(1)} schedules in ${(wall / 1000).toFixed(0)} s, so grading explores ${Math.round(schedules / realTimeSchedules)}x more (goal: 100x)`,
      "wall time includes starting vitest and its workers; every simulation test runs its fixed regression seeds plus 40 fresh random seeds, so the schedule count is stable but the seeds differ from run to run",
    ],
  };
}
