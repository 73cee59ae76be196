// The score in the forms a classroom reads: JSON, a Markdown job summary, and per-lesson points for GitHub Classroom's reporter.

import { oneLine, type ExerciseScore, type GradeReport } from "@course/lessons/grading/index.js";

/** The report as JSON for an autograder or an instructor's script (it carries the graded suites' digest). */
export function jsonReport(report: GradeReport): string {
  return `${JSON.stringify({ format: "paxos-raft-course/grade", version: 1, ...report }, null, 2)}\n`;
}

const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\s+/g, " ").trim();

function status(e: ExerciseScore): string {
  if (e.loadErrors.length > 0) return "does not load";
  if (e.notReady !== undefined) return oneLine(e.notReady, 120);
  return e.passed === e.tests.length && e.tests.length > 0 ? "ok" : oneLine(e.firstFailure ?? "failed", 120);
}

/** A Markdown score table for GitHub's job summary: points per exercise, the suites' digest, the first failures folded away. */
export function markdownSummary(report: GradeReport): string {
  const pct = report.total === 0 ? 0 : Math.round((100 * report.points) / report.total);
  const lines = [`## Score: ${report.points}/${report.total} points (${pct}%)`, "", "| lesson | exercise | tests | points | status |", "|---:|---|---:|---:|---|"];
  for (const e of report.exercises) {
    lines.push(`| ${e.lesson} | ${cell(`${e.title} (${e.id})`)} | ${e.passed}/${e.tests.length} | ${e.points}/${e.total} | ${cell(status(e))} |`);
  }
  lines.push("");
  if (report.suites !== undefined) {
    lines.push(
      report.suites.matchesCourse
        ? `Graded suites: the course's own (digest \`${report.suites.digest}\`).`
        : `**Graded suites differ from the course's** (digest \`${report.suites.digest}\`): ${report.suites.differences.map(cell).join("; ")}`,
    );
    lines.push("");
  }
  const failing = report.exercises.filter((e) => e.firstFailure !== undefined);
  if (failing.length > 0) {
    lines.push("<details><summary>First failure of each exercise</summary>", "");
    for (const e of failing) lines.push(`**Lesson ${e.lesson}, ${cell(e.title)}**`, "", "```text", (e.firstFailure ?? "").replace(/```/g, "'''"), "```", "");
    lines.push("</details>", "");
  }
  return `${lines.join("\n")}\n`;
}

/** One test as GitHub Classroom's grading reporter reads it: its score counts toward the assignment's points. */
interface ClassroomTest {
  readonly name: string;
  readonly status: "pass" | "fail";
  readonly score: number;
  readonly message?: string;
}

/**
 * `lesson06=<base64 JSON>` lines for $GITHUB_OUTPUT, one per lesson with exercises: the format of GitHub Classroom's
 * autograding runners ({ version, status, max_score, tests[{ name, status, score, message }] }), so the grading
 * reporter adds the points of every passed test, lesson by lesson.
 */
export function classroomOutputs(report: GradeReport): string {
  const lessons = [...new Set(report.exercises.map((e) => e.lesson))].sort((a, b) => a - b);
  const lines: string[] = [];
  for (const lesson of lessons) {
    const exercises = report.exercises.filter((e) => e.lesson === lesson);
    const tests: ClassroomTest[] = exercises.flatMap((e) =>
      e.tests.map((t) => {
        const why = e.loadErrors[0] ?? e.notReady ?? t.error;
        return { name: `${e.id}: ${t.name} [${t.points} pt]`, status: t.passed ? "pass" : "fail", score: t.passed ? t.points : 0, ...(t.passed || why === undefined ? {} : { message: why.slice(0, 400) }) };
      }),
    );
    const result = {
      version: 1,
      status: tests.length > 0 && tests.every((t) => t.status === "pass") ? "pass" : "fail",
      max_score: exercises.reduce((s, e) => s + e.total, 0),
      tests,
    };
    lines.push(`${classroomRunner(lesson)}=${Buffer.from(JSON.stringify(result)).toString("base64")}`);
  }
  return `${lines.join("\n")}\n`;
}

/** The step output (and grading-reporter runner) name of a lesson: lesson06. */
export function classroomRunner(lesson: number): string {
  return `lesson${String(lesson).padStart(2, "0")}`;
}
