// Tests of the grading harness itself: time limits, the implementation switch, seeds, messages, stub checks, traces.

import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Simulation, parseTrace, type NodeFactory } from "@course/sim";
import { defineExercise, type Exercise } from "./exercise.js";
import { expectRule, frozen, RuleFailure } from "./failure.js";
import { CONFIRM_FACTOR, withConfirmedTimeLimit, withTimeLimit, TimeLimitError } from "./guard.js";
import { implChoice, implChoiceFor, implementation, referenceImports, StudentCodeError } from "./impl.js";
import { discoverExercises, stubUntouched, testFileOf } from "./registry.js";
import { seedPlan } from "./seeds.js";
import { SeedRun, StepLimitError, replayCommand } from "./graded.js";
import { writeFailureTrace } from "./traces.js";
import { describeEpisodes, episodesOf, keepEpisodes, shrinkEpisodes } from "./shrink.js";
import { runRaft } from "./clusters/raft.js";
import { CLUSTER_SIZES, ENTRY_CAPS, clusterNodes, entriesPerMessage } from "./clusters/shape.js";
import { discoverSolutions, SOLUTIONS_DIR, solutionFolderOf } from "./corpus.js";
import type { ScheduledFault } from "@course/sim";

type Rules = { double: (x: number) => number };
const noop = { description: "", functions: {} };
function toyExercise(student: () => Promise<Partial<Rules>>): Exercise<Rules> {
  return defineExercise<Rules>({
    lesson: 99,
    folder: "99-toy",
    id: `toy-${Math.random()}`,
    title: "toy",
    stubFile: "99-toy/exercise/toy.ts",
    functions: ["double"],
    loadStudent: student,
    reference: { double: (x) => 2 * x },
    checkResult: { double: (r) => (typeof r === "number" ? undefined : "it must return a number") },
    mutants: { "add-one": { description: "adds one", functions: { double: (x) => x + 1 } }, b: noop, c: noop },
  });
}

describe("time limits", () => {
  it("stops an infinite loop in synchronous code and says what probably happened", () => {
    expect(() =>
      withTimeLimit(
        () => {
          for (;;) {
            // a student's loop that never ends
          }
        },
        100,
        "the test",
      ),
    ).toThrow(/the test was still running after 100 ms and was stopped\. Look for a loop that never ends/);
  });

  it("a confirmed limit forgives one starved run but still stops a loop that never ends", () => {
    let calls = 0;
    const slowOnce = () => {
      calls++;
      if (calls === 1) for (;;) {} // starved: the first run never finishes in time
      return "done";
    };
    expect(withConfirmedTimeLimit(slowOnce, 20, "x")).toBe("done");
    expect(calls).toBe(2);
    let runs = 0;
    expect(() =>
      withConfirmedTimeLimit(
        () => {
          runs++;
          for (;;) {}
        },
        20,
        "the loop",
      ),
    ).toThrow(`the loop was still running after ${20 * CONFIRM_FACTOR} ms`);
    expect(runs).toBe(2);
  });

  it("returns the value and passes errors through unchanged", () => {
    expect(withTimeLimit(() => 42, 100, "x")).toBe(42);
    expect(() => withTimeLimit(() => { throw new RangeError("boom"); }, 100, "x")).toThrow(RangeError);
  });
});

describe("the implementation switch", () => {
  it("reads COURSE_IMPL, defaulting to the student's code, and rejects nonsense", () => {
    expect(implChoice({})).toEqual({ kind: "student" });
    expect(implChoice({ COURSE_IMPL: "reference" })).toEqual({ kind: "reference" });
    expect(implChoice({ COURSE_IMPL: "mutant:vote-for-everyone" })).toEqual({ kind: "mutant", name: "vote-for-everyone" });
    expect(implChoice({ COURSE_IMPL: "file:grading/solutions/x.ts" })).toEqual({ kind: "file", path: "grading/solutions/x.ts" });
    expect(() => implChoice({ COURSE_IMPL: "teacher" })).toThrow(/not understood/);
  });

  it("grades another file written like the stub (file:<path>), with the same checks as the student's", async () => {
    const dir = mkdtempSync(join(tmpdir(), "course-file-"));
    const good = join(dir, "good.ts");
    writeFileSync(good, "export function double(x: number): number {\n  return x + x;\n}\n");
    const ex = toyExercise(async () => ({}));
    expect((await implementation(ex, { kind: "file", path: good })).double(4)).toBe(8);
    const garbage = join(dir, "garbage.ts");
    writeFileSync(garbage, 'export function double(): unknown {\n  return "eight";\n}\n');
    await expect(Promise.resolve().then(async () => (await implementation(ex, { kind: "file", path: garbage })).double(4))).rejects.toThrow(/double returned "eight"/);
    const empty = join(dir, "empty.ts");
    writeFileSync(empty, "export const nothing = 1;\n");
    await expect(implementation(ex, { kind: "file", path: empty })).rejects.toThrow(/empty\.ts must export a function named double/);
  });

  it("lets COURSE_IMPL_MAP give one exercise its own choice", () => {
    const env = { COURSE_IMPL: "reference", COURSE_IMPL_MAP: JSON.stringify({ "5/request-vote": "mutant:x" }) };
    expect(implChoiceFor({ lesson: 5, id: "request-vote" }, env)).toEqual({ kind: "mutant", name: "x" });
    expect(implChoiceFor({ lesson: 6, id: "append-entries" }, env)).toEqual({ kind: "reference" });
  });

  it("binds the reference, a mutant, or the student's functions", async () => {
    const ex = toyExercise(async () => ({ double: (x: number) => x * 2 }));
    expect((await implementation(ex, { kind: "reference" })).double(4)).toBe(8);
    expect((await implementation(ex, { kind: "mutant", name: "add-one" })).double(4)).toBe(5);
    expect((await implementation(ex, { kind: "student" })).double(4)).toBe(8);
    await expect(implementation(ex, { kind: "mutant", name: "nope" })).rejects.toThrow(/has no mutant "nope"/);
  });

  it("turns a TODO, a thrown error and a garbage result into messages for the student", async () => {
    const todo = await implementation(toyExercise(async () => ({ double: () => { throw new Error("TODO: double"); } })), { kind: "student" });
    expect(() => todo.double(1)).toThrow(/double is not written yet/);
    const thrower = await implementation(toyExercise(async () => ({ double: () => { throw new TypeError("x is undefined"); } })), { kind: "student" });
    expect(() => thrower.double(1)).toThrow(/double threw TypeError: x is undefined/);
    const garbage = await implementation(toyExercise(async () => ({ double: () => "eight" as unknown as number })), { kind: "student" });
    expect(() => garbage.double(1)).toThrow(StudentCodeError);
    expect(() => garbage.double(1)).toThrow(/double returned "eight": it must return a number/);
  });

  it("refuses a student file that does not load, lacks the function, or hands back the reference", async () => {
    await expect(implementation(toyExercise(async () => { throw new SyntaxError("Unexpected token"); }), { kind: "student" })).rejects.toThrow(/could not be loaded: Unexpected token/);
    await expect(implementation(toyExercise(async () => ({})), { kind: "student" })).rejects.toThrow(/must export a function named double/);
    const ex = toyExercise(async () => ({}));
    const sneaky = { ...ex, id: "sneaky", loadStudent: async () => ({ double: ex.reference.double }) };
    await expect(implementation(sneaky, { kind: "student" })).rejects.toThrow(/exports the course's own double/);
  });

  it("needs at least three mutants per exercise", () => {
    expect(() => defineExercise<Rules>({ ...toyExercise(async () => ({})), mutants: { a: noop } })).toThrow(/at least three mutants/);
  });
});

describe("seeds", () => {
  it("runs the fixed regression seeds plus fresh ones, or exactly the seed to replay", () => {
    const plan = seedPlan(5, 3, {});
    expect(plan.seeds.slice(0, 5)).toEqual([1, 2, 3, 4, 5]);
    expect(plan.seeds).toHaveLength(8);
    expect(new Set(plan.seeds).size).toBe(8);
    expect(seedPlan(5, 3, { COURSE_FRESH_SEEDS: "0" }).seeds).toEqual([1, 2, 3, 4, 5]);
    expect(seedPlan(5, 3, { COURSE_SEED: "77" })).toMatchObject({ seeds: [77], replay: true });
    expect(seedPlan(5, 3, { COURSE_STRESS: "1" }).stress).toBe(true);
    expect(seedPlan(5, 3, { COURSE_FRESH_SEEDS: "40" }, 1).seeds).toHaveLength(6);
    expect(() => seedPlan(5, 3, { COURSE_SEED: "abc" })).toThrow(/whole number/);
  });

  it("stress mode (--seeds N) runs N fresh seeds in every test, even one that caps its fresh seeds", () => {
    expect(seedPlan(5, 3, { COURSE_FRESH_SEEDS: "50", COURSE_STRESS: "1" }, 1).seeds).toHaveLength(55);
    expect(seedPlan(5, 3, { COURSE_FRESH_SEEDS: "50" }, 1).seeds).toHaveLength(6);
  });

  it("builds a replay command for the same implementation, seed and test", () => {
    const cmd = replayCommand({ folder: "05-leader-election", lesson: 5, id: "request-vote" }, "elections (under faults)", 123);
    expect(cmd).toMatch(/^npm run grade 5 --( --impl \S+)? --seed 123 --test "elections \(under faults\)"$/);
    expect(replayCommand({ folder: "05-leader-election", lesson: 5, id: "request-vote" }, "x", 7, new Set([4, 1]))).toMatch(/ --seed 7 --faults 1,4 --test "x"$/);
    expect(replayCommand({ folder: "05-leader-election", lesson: 5, id: "request-vote" }, "x", 7, new Set())).toContain(" --faults none ");
  });
});

describe("failure messages", () => {
  it("name the rule, show the input, the expected and the actual value, and the hint", () => {
    let message = "";
    try {
      expectRule({ rule: "Figure 2, step 1", input: { term: 3 }, hint: "look at the term" }, { granted: true }, { granted: false });
    } catch (e) {
      expect(e).toBeInstanceOf(RuleFailure);
      message = (e as Error).message;
    }
    expect(message.split("\n")).toEqual(["Figure 2, step 1", "  term:      3", '  expected: {"granted":false}', '  got:      {"granted":true}', "  hint:     look at the term"]);
    expect(() => expectRule({ rule: "r", input: {} }, { a: 1, b: undefined }, { a: 1 })).not.toThrow();
  });

  it("frozen inputs make a rule that modifies its input fail", () => {
    const state = frozen({ promised: { round: 1 } });
    expect(() => {
      (state.promised as { round: number }).round = 2;
    }).toThrow(TypeError);
  });
});

describe("simulation runs", () => {
  const chatter: NodeFactory = (ctx) => ({
    onMessage: (from) => ctx.send(from, { type: "ping" }),
    onTimer: () => undefined,
  });

  it("fails fast on a livelock: many events while virtual time stands still", () => {
    // Two nodes bounce a message forever over zero-latency links: time never moves.
    const bouncer: NodeFactory = (ctx) => {
      if (ctx.id === 0) ctx.send(1, { type: "ping" });
      return { onMessage: (from) => ctx.send(from, { type: "ping" }), onTimer: () => undefined };
    };
    const run = new SeedRun(1, false);
    const sim = run.simulate({ nodes: [0, 1], createNode: bouncer, network: { latency: { kind: "fixed", ms: 0 } } });
    expect(() => run.drive(sim, 100, 5000)).toThrow(StepLimitError);
    expect(sim.stepCount).toBe(5000);
    const calm = run.simulate({ nodes: [0, 1], createNode: chatter });
    expect(() => run.drive(calm, 100, 5000)).not.toThrow();
    expect(calm.now).toBe(100);
  });

  it("writes a failing run's trace where the viewer can read it", () => {
    const dir = mkdtempSync(join(tmpdir(), "course-traces-"));
    const run = new SeedRun(7, true);
    const sim = run.simulate({ nodes: [0, 1], createNode: chatter });
    sim.note("hello");
    const file = writeFailureTrace(run.simulation as Simulation, { lesson: 5, exercise: "request-vote", test: "elections", impl: "student", protocol: "raft", failure: "two leaders" }, { COURSE_TRACE_DIR: dir });
    expect(file).toBe(join(dir, "05-request-vote-elections-seed7.json"));
    const trace = parseTrace(readFileSync(file as string, "utf8"));
    expect(trace.seed).toBe(7);
    expect(trace.options).toMatchObject({ failure: "two leaders", impl: "student" });
    expect(writeFailureTrace(sim, { lesson: 5, exercise: "e", test: "t", impl: "s", protocol: "raft", failure: "f" }, { COURSE_TRACES: "off" })).toBeUndefined();
  });
});

describe("shrinking a fault schedule", () => {
  const schedule: ScheduledFault[] = [
    { at: 10, action: { type: "crash", node: 1 } },
    { at: 20, action: { type: "partition", groups: [[0, 1], [2, 3, 4]] } },
    { at: 30, action: { type: "link", config: { drop: 0.4 } } },
    { at: 40, action: { type: "restart", node: 1 } },
    { at: 50, action: { type: "heal" } },
    { at: 60, action: { type: "cut", from: 2, to: 3 } },
    { at: 70, action: { type: "link", config: { drop: 0 } } },
    { at: 80, action: { type: "heal", from: 2, to: 3 } },
  ];

  it("groups each fault with the action that ends it", () => {
    expect(episodesOf(schedule)).toEqual([[0, 3], [1, 4], [2, 6], [5, 7]]);
    expect(keepEpisodes(schedule, new Set([0, 3])).map((f) => f.at)).toEqual([10, 40, 60, 80]);
    expect(describeEpisodes(schedule, new Set([0]))).toEqual(["crash node 1 at 10 ms, then restart node 1 at 40 ms"]);
  });

  it("drops every episode the failure does not need, within a budget of re-runs", () => {
    let runs = 0;
    const needs = (keep: ReadonlySet<number>) => {
      runs++;
      return keep.has(1) && keep.has(3);
    };
    expect([...shrinkEpisodes(4, needs)].sort()).toEqual([1, 3]);
    expect(runs).toBe(4);
    expect(shrinkEpisodes(4, () => true).size).toBe(0);
    expect(shrinkEpisodes(10, () => true, 3).size).toBe(7);
  });

  it("replays a shrunk run with only the kept episodes", () => {
    const run = new SeedRun(3, false, new Set([2]));
    expect(run.faults(schedule).map((f) => f.action.type)).toEqual(["link", "link"]);
    expect(run.schedule).toBe(schedule);
    expect(replayCommand({ folder: "08-raft-safety", lesson: 8, id: "safety" }, "crashes", 3, new Set([4, 1]))).toContain("--seed 3 --faults 1,4 --test \"crashes\"");
    expect(replayCommand({ folder: "08-raft-safety", lesson: 8, id: "safety" }, "crashes", 3, new Set())).toContain("--faults none");
  });
});

describe("graded clusters", () => {
  it("cycle through clusters of 3, 4, 5 and 7 nodes and AppendEntries caps of 1, 2 and 64 entries, every pair within 12 seeds", () => {
    const pairs = new Set<string>();
    for (let seed = 1; seed <= 12; seed++) pairs.add(`${clusterNodes(seed).length}/${entriesPerMessage(seed)}`);
    expect(pairs.size).toBe(CLUSTER_SIZES.length * ENTRY_CAPS.length);
    expect(clusterNodes(5)).toContain(0);
  });

  it("clients keep one command outstanding each, resent unchanged until answered, even while the leader is paused for long", () => {
    for (const seed of [1, 2, 3]) {
      const run = new SeedRun(seed, false);
      const failure = runRaft(run, { raft: {}, rates: { lossy: 0.3 }, leaderFault: { kind: "pause", at: 600, ms: 1200 }, clients: 3 });
      expect(failure, `seed ${seed}`).toBeUndefined();
      const sim = run.simulation as NonNullable<typeof run.simulation>;
      expect(sim.actions.some((a) => a.action.type === "pause"), "the leader was paused").toBe(true);
      const byClient = new Map<string, typeof sim.requests>();
      for (const r of sim.requests) byClient.set(r.request.client, [...(byClient.get(r.request.client) ?? []), r]);
      let retried = 0;
      for (const [client, requests] of byClient) {
        const seqs = requests.map((r) => (r.request.op as { seq: number }).seq);
        // Numbers go up one at a time, and a copy of a command is the same number again.
        for (let k = 1; k < seqs.length; k++) expect(seqs[k] === seqs[k - 1] || seqs[k] === (seqs[k - 1] as number) + 1, `${client}: ${seqs.join(",")}`).toBe(true);
        retried += seqs.length - new Set(seqs).size;
        for (const r of requests) {
          const seq = (r.request.op as { seq: number }).seq;
          if (seq === 1) continue;
          // Command n+1 leaves only after some copy of command n was answered ok.
          const answered = requests.filter((q) => (q.request.op as { seq: number }).seq === seq - 1 && (q.result as { ok?: boolean } | undefined)?.ok === true && q.replyAt !== undefined);
          expect(answered.some((q) => (q.replyAt as number) <= r.invokedAt), `${client}'s command ${seq} sent before command ${seq - 1} was answered`).toBe(true);
        }
      }
      expect(retried, "some commands were sent more than once").toBeGreaterThan(0);
    }
  });
});

describe("the solutions corpus", () => {
  it("has correct and buggy solutions for every exercise, each saying why, in a folder named after its exercise", async () => {
    const exercises = await discoverExercises();
    const solutions = await discoverSolutions(exercises);
    for (const e of exercises) {
      const mine = solutions.filter((s) => s.key === `${e.lesson}/${e.id}`);
      expect(mine.filter((s) => s.expectation.correct).length, `${e.lesson}/${e.id} correct solutions`).toBeGreaterThanOrEqual(2);
      expect(mine.filter((s) => !s.expectation.correct).length, `${e.lesson}/${e.id} buggy solutions`).toBeGreaterThanOrEqual(5);
      for (const s of mine) {
        expect(s.file.startsWith(`${SOLUTIONS_DIR}/${solutionFolderOf(e)}/`)).toBe(true);
        expect(s.name.startsWith(s.expectation.correct ? "correct-" : "buggy-"), s.file).toBe(true);
        expect(referenceImports(e, s.file), s.file).toEqual([]);
      }
    }
  });
});

describe("the exercise registry", () => {
  it("finds every exercise, each with its graded suite, an untouched stub and no reference imports", async () => {
    const all = await discoverExercises();
    const keys = all.map((e) => `${e.lesson}/${e.id}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(all.map((e) => e.lesson)).toEqual([...all.map((e) => e.lesson)].sort((a, b) => a - b));
    for (let lesson = 1; lesson <= 9; lesson++) expect(all.some((e) => e.lesson === lesson), `lesson ${lesson} has an exercise`).toBe(true);
    for (const e of all) {
      expect(testFileOf(e)).toBe(`${e.folder}/exercise/${e.id}.test.ts`);
      expect(referenceImports(e), e.stubFile).toEqual([]);
      expect(typeof stubUntouched(e)).toBe("boolean");
    }
  });

  it("spots a stub that imports the graded function from a course package", () => {
    const dir = mkdtempSync(join(tmpdir(), "course-stub-"));
    const stub = join(dir, "stub.ts");
    writeFileSync(stub, 'import { isLogUpToDate, handleRequestVote as hrv, type VoterState } from "@course/raft";\n');
    expect(referenceImports({ stubFile: stub, functions: ["handleRequestVote"] })).toEqual(["handleRequestVote"]);
    writeFileSync(stub, 'import { isLogUpToDate, type VoterState } from "@course/raft";\n');
    expect(referenceImports({ stubFile: stub, functions: ["handleRequestVote"] })).toEqual([]);
    writeFileSync(stub, 'export { handleRequestVote } from "@course/raft";\n');
    expect(referenceImports({ stubFile: stub, functions: ["handleRequestVote"] })).toEqual(["handleRequestVote"]);
    writeFileSync(stub, 'import { KvStore, type KvImage } from "@course/raft";\n');
    expect(referenceImports({ stubFile: stub, functions: ["applyCommand"], forbiddenImports: ["KvStore"] })).toEqual(["KvStore"]);
    writeFileSync(stub, 'import * as raft from "@course/raft";\n// handleRequestVote: the rule\nexport const handleRequestVote = (v, r) => raft.handleRequestVote(v, r);\n');
    expect(referenceImports({ stubFile: stub, functions: ["handleRequestVote"] })).toEqual(["handleRequestVote"]);
    writeFileSync(stub, 'import { referenceRules } from "@course/raft";\nexport const handleRequestVote = referenceRules["handleRequestVote"];\n');
    expect(referenceImports({ stubFile: stub, functions: ["handleRequestVote"] })).toEqual(["handleRequestVote"]);
  });
});
