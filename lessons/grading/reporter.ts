// A vitest reporter that prints the score after every run: a plain `npx vitest`, its watch mode and the editor's test runs.

import pc from "picocolors";
import type { TestModule } from "vitest/node";
import { outcomeOfRun } from "./collect.js";
import { buildReport, formatReport, type GradeReport } from "./score.js";

export interface ScoreReporterOptions {
  /** Brief (the table, the total, replay commands) after vitest's own reporter; full (every first failure) alone. */
  readonly brief?: boolean;
  readonly print?: (line: string) => void;
  /** Called with each run's report (for `npm run grade -- --watch`'s extras). */
  readonly onReport?: (report: GradeReport) => void;
}

export class ScoreReporter {
  private started = process.hrtime.bigint();

  constructor(private readonly options: ScoreReporterOptions = {}) {}

  onTestRunStart(): void {
    this.started = process.hrtime.bigint();
  }

  onTestRunEnd(modules: readonly TestModule[], errors: readonly { message?: string }[]): void {
    const wallMs = Number(process.hrtime.bigint() - this.started) / 1e6;
    const run = { ...outcomeOfRun(modules, errors.map((e) => e.message ?? String(e))), wallMs, timedOut: false };
    const report = buildReport(run, process.env.COURSE_IMPL ?? "student", []);
    if (report.exercises.length === 0) return; // nothing graded in this run (the harness's own tests)
    const print = this.options.print ?? ((line: string) => console.log(line));
    print("");
    const style = { bold: pc.bold, green: pc.green, red: pc.red, dim: pc.dim };
    for (const line of formatReport(report, { style, width: process.stdout.columns ?? 120, brief: this.options.brief ?? false })) print(line);
    this.options.onReport?.(report);
  }
}
