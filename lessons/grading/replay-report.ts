// What `npm run grade N -- --test NAME` prints: only the graded tests the name picked, passed or failed, not a score.

import { plainStyle, type GradeReport, type Style } from "./score.js";

export interface ReplayOutcome {
  readonly lines: string[];
  /** Every picked test passed (and at least one was picked). */
  readonly passed: boolean;
}

/**
 * A replay runs a few tests out of a suite; the others are skipped on purpose and are neither failures nor part of a
 * score, so the report lists the tests that ran and leaves the points table out.
 */
export function formatReplay(report: GradeReport, filter: string, style: Style = plainStyle): ReplayOutcome {
  const ran = report.exercises.flatMap((e) => e.tests.filter((t) => !t.skipped).map((t) => ({ e, t })));
  const lines: string[] = [];
  if (ran.length === 0) {
    lines.push(style.red(`No graded test of ${report.lessons.length > 0 ? `lesson ${report.lessons.join(", ")}` : "the course"} has a name containing "${filter}".`));
    for (const e of report.exercises) for (const line of e.loadErrors) lines.push(style.red(`  ${e.lesson}/${e.id}: ${line}`));
    return { lines, passed: false };
  }
  lines.push(style.bold(`Replaying ${ran.length} graded test${ran.length === 1 ? "" : "s"} whose name contains "${filter}" (${report.impl === "student" ? "your code" : `the ${report.impl} implementation`}):`));
  for (const { e, t } of ran) {
    const head = `${t.passed ? "✓" : "✗"} lesson ${e.lesson} (${e.id}) · ${t.name}`;
    lines.push(t.passed ? style.green(head) : style.red(head));
    if (!t.passed && t.error !== undefined) for (const l of t.error.split("\n")) lines.push(`    ${l}`);
    if (t.traceFile !== undefined) lines.push(style.dim(`    trace: ${t.traceFile}`));
  }
  const passed = ran.every(({ t }) => t.passed);
  lines.push(style.bold(`${ran.filter(({ t }) => t.passed).length} of ${ran.length} passed.`));
  return { lines, passed };
}
