// `npm run grade 2 -- --watch` on a copy of the lessons: the stub, then a buggy save, then a correct save, each graded again with its score.

import { afterAll, describe, expect, it } from "vitest";
import { ACCEPTOR_STUB, formatReport, scratchLessons, solveAcceptor, type GradeReport } from "@course/lessons/grading/index.js";
import { parseGradeArgs, startWatch } from "../src/grade.js";

/** Hands out reports in the order the watch produces them. */
function reportQueue() {
  const ready: GradeReport[] = [];
  const waiting: ((r: GradeReport) => void)[] = [];
  return {
    push(r: GradeReport) {
      const next = waiting.shift();
      if (next) next(r);
      else ready.push(r);
    },
    next(): Promise<GradeReport> {
      const r = ready.shift();
      return r ? Promise.resolve(r) : new Promise((resolve) => waiting.push(resolve));
    },
    /** The next report, or undefined after `ms` (the waiter is withdrawn so a later report is not lost). */
    within(ms: number): Promise<GradeReport | undefined> {
      const r = ready.shift();
      if (r) return Promise.resolve(r);
      return new Promise((resolve) => {
        const waiter = (report: GradeReport) => {
          clearTimeout(timer);
          resolve(report);
        };
        const timer = setTimeout(() => {
          waiting.splice(waiting.indexOf(waiter), 1);
          resolve(undefined);
        }, ms);
        waiting.push(waiter);
      });
    },
  };
}

/**
 * Saves `text` and waits for the graded run it causes. A save that lands while the file watcher is still starting
 * can go unseen (an editor's user saves again; so does this test), so the file is saved again, with a trailing
 * newline more, until a run reports.
 */
async function saveAndGrade(queue: ReturnType<typeof reportQueue>, save: (text: string) => void, text: string): Promise<GradeReport> {
  for (let attempt = 0; attempt < 3; attempt++) {
    save(text + "\n".repeat(attempt));
    // Far longer than a graded run of lesson 2 takes, so a slow run is never mistaken for a missed save.
    const report = await queue.within(45_000);
    if (report) return report;
  }
  throw new Error("no graded run after three saves");
}

describe("grade --watch", () => {
  const copy = scratchLessons();
  afterAll(() => copy.remove());

  it("grades lesson 2 again on every save, with the score and the first failing simulation's replay command", async () => {
    const queue = reportQueue();
    const args = parseGradeArgs(["2", "--watch"], {});
    const previousTraces = process.env.COURSE_TRACES;
    process.env.COURSE_TRACES = "off";
    const watch = await startWatch(args, (r) => queue.push(r), copy.dir);
    try {
      const stub = await queue.next();
      expect(stub.exercises[0]?.notReady).toMatch(/^not implemented yet: edit lessons\/02-basic-paxos\/exercise\/acceptor.ts/);
      expect(stub.points).toBe(0);

      // A classic mistake: onAccept accepts whatever arrives, even below a promise.
      const correct = solveAcceptor(copy.read(ACCEPTOR_STUB), ["onPrepare", "onAccept"]);
      const buggy = correct.replace("if (state.promised !== undefined && compareBallots(msg.n, state.promised) < 0) {\n    return { state, reply: { type: \"nack\", phase: \"accept\"", "if (false) {\n    return { state, reply: { type: \"nack\", phase: \"accept\"");
      expect(buggy).toContain("if (false)");
      const wrong = await saveAndGrade(queue, (t) => copy.write(ACCEPTOR_STUB, t), buggy);
      expect(wrong.points).toBeGreaterThan(0);
      expect(wrong.points).toBeLessThan(wrong.total);
      const text = formatReport(wrong).join("\n");
      expect(text).toMatch(/Total: \d+\/31 points/);
      expect(text).toMatch(/npm run grade 2 -- --seed \d+( --faults \S+)? --test "[^"]+"/);

      const right = await saveAndGrade(queue, (t) => copy.write(ACCEPTOR_STUB, t), correct);
      expect([right.points, right.total, right.allPassed]).toEqual([31, 31, true]);
    } finally {
      await watch.close();
      if (previousTraces === undefined) delete process.env.COURSE_TRACES;
      else process.env.COURSE_TRACES = previousTraces;
    }
  }, 300_000);
});
