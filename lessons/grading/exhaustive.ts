// Exhaustive graded tests: the implementation's functions inside the reference node, every schedule of a small cluster searched.

import { mkdirSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { serializeTrace, type TraceFile } from "@course/sim";
import { explore, ExploreError, resolveRun, scriptChoices, type Bounds, type ExploreOptions, type ExploreResult, type ScriptStep } from "@course/explore";
import { exerciseKey, type Exercise, type RuleSet } from "./exercise.js";
import { describeChoice, implChoiceFor, LESSONS_DIR } from "./impl.js";
import { withConfirmedTimeLimit } from "./guard.js";
import type { GradingMeta } from "./meta.js";
import { slug, traceDir } from "./traces.js";

/** Wall-clock limit for one search: far above what the small bounds need, so only code that never returns reaches it. */
export const SEARCH_TIME_LIMIT_MS = 20_000;

/** One bounded search: the explorer's options (the protocol, the node rules and options, the bounds), and where it starts. */
export interface Search {
  /** Names this search in a failure when a test runs several (e.g. "3 nodes, quorums 2 and 1"). */
  readonly label?: string;
  readonly options: Omit<ExploreOptions, "rulesLabel" | "from" | "onProgress" | "progressEvery" | "variant">;
  /**
   * Scripted steps played before the search (a proposer that has already asked, a leader elected...): the search
   * then covers every continuation from there within the bounds, so a deep bug is reached with a small bound.
   */
  readonly start?: readonly ScriptStep[];
}

export interface ExhaustiveTest<F extends RuleSet> {
  /** What to look at first when the search finds a counterexample. */
  readonly hint: string;
  /**
   * The searches to run with the implementation under test. Each must finish in a few seconds; the test passes
   * when none finds a violation (or, with `liveness`, a stuck state) within its bounds.
   */
  searches(impl: F): readonly Search[];
}

/** "depth 14, 1 drop, 0 duplicates, 1 crash, 3 timer firings, 2 requests": a bound in words, for names and failures. */
export function boundText(b: Bounds): string {
  const n = (k: number, one: string, many: string) => `${k} ${k === 1 ? one : many}`;
  return [`depth ${b.depth}`, n(b.drops, "drop", "drops"), n(b.duplicates, "duplicate", "duplicates"), n(b.crashes, "crash", "crashes"), n(b.timers, "timer firing", "timer firings"), n(b.requests, "request", "requests")].join(", ") + (b.lifetime ? `, messages lost after ${b.lifetime} steps` : "");
}

/** A failed exhaustive test; the message carries the invariant, the counterexample's length, the trace and the replay. */
export class SearchFailure extends Error {
  override name = "SearchFailure";
}

/**
 * How the explorer's trace names the rules, so `npm run explore -- --replay FILE` can plug them in again: a
 * mutant by its explorer name ("5/request-vote/vote-for-everyone"), other code by exercise and implementation
 * ("5/request-vote@student", "5/request-vote@file:grading/solutions/...").
 */
export function rulesLabelFor(exercise: Pick<Exercise, "lesson" | "id">): string {
  const choice = implChoiceFor(exercise);
  return choice.kind === "mutant" ? `${exerciseKey(exercise)}/${choice.name}` : `${exerciseKey(exercise)}@${describeChoice(choice)}`;
}

/** Runs every search; returns the first counterexample as a failure (with its trace written), or undefined. */
export function runSearches<F extends RuleSet>(exercise: Exercise<F>, name: string, spec: ExhaustiveTest<F>, impl: F, m: GradingMeta): SearchFailure | undefined {
  const searches = spec.searches(impl);
  let distinct = 0;
  let explored = 0;
  for (const search of searches) {
    const hasRules = search.options.rules !== undefined && Object.keys(search.options.rules).length > 0;
    const options: ExploreOptions = { ...search.options, ...(hasRules ? { rulesLabel: rulesLabelFor(exercise) } : {}) };
    let result: ExploreResult;
    try {
      result = withConfirmedTimeLimit(() => explore({ ...options, ...startOf(options, search.start) }), SEARCH_TIME_LIMIT_MS, `the search${search.label ? ` (${search.label})` : ""}`);
    } catch (e) {
      // A scripted start the implementation cannot play (a node threw, a checker fired already) fails the test.
      if (e instanceof ExploreError) return new SearchFailure(`${name}: ${search.label ? `${search.label}: ` : ""}the search could not start: ${e.message}\n  hint:   ${spec.hint}`);
      throw e;
    }
    distinct += result.distinctStates;
    explored += result.statesExplored;
    m.distinctStates = distinct;
    m.statesExplored = explored;
    const found = result.violation ?? result.stuck;
    if (found === undefined) continue;
    const what = result.violation ? `a violation of ${result.violation.invariant}` : "a state from which no fault-free run reaches agreement";
    const traceFile = writeSearchTrace(exercise, name, search, found.trace);
    const rerun = rerunCommand(exercise, name);
    const replay = traceFile === undefined ? rerun : `npm run explore -- --replay ${traceFile}`;
    m.replay = replay;
    if (traceFile !== undefined) m.traceFile = traceFile;
    return new SearchFailure(
      [
        `${name}: the search found ${what} after ${found.depth} steps${search.start ? ` (${search.start.length} of them scripted)` : ""}${search.label ? ` (${search.label})` : ""}`,
        `  ${found.message.split("\n").join("\n  ")}`,
        `  searched: ${result.protocol} on ${result.nodes.length} nodes, ${result.distinctStates} distinct states, bound: ${boundText(result.bounds)}`,
        `  hint:   ${spec.hint}`,
        `  replay: ${replay}`,
        traceFile === undefined ? "" : `  trace:  ${traceFile} (open it in the course site's trace viewer)`,
        traceFile === undefined ? "" : `  again:  ${rerun}`,
      ]
        .filter((l) => l !== "")
        .join("\n"),
    );
  }
  return undefined;
}

function startOf(options: ExploreOptions, start: readonly ScriptStep[] | undefined): Pick<ExploreOptions, "from"> {
  return start === undefined ? {} : { from: scriptChoices(resolveRun(options), start) };
}

/** The grade command that runs this exhaustive test alone again (the search is deterministic: it finds the same run). */
function rerunCommand(exercise: Pick<Exercise, "lesson" | "id">, name: string): string {
  const choice = describeChoice(implChoiceFor(exercise));
  return `npm run grade ${exercise.lesson} --${choice === "student" ? "" : ` --impl ${choice}`} --test "${name}"`;
}

/** Writes the counterexample next to the simulations' failing traces; returns its path from the repository root. */
function writeSearchTrace<F extends RuleSet>(exercise: Exercise<F>, name: string, search: Search, trace: TraceFile): string | undefined {
  const dir = traceDir();
  if (dir === undefined) return undefined;
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${String(exercise.lesson).padStart(2, "0")}-${exercise.id}-${slug(name)}${search.label ? `-${slug(search.label)}` : ""}-search.json`);
  const grading = { lesson: exercise.lesson, exercise: exercise.id, test: name, impl: describeChoice(implChoiceFor(exercise)) };
  writeFileSync(file, serializeTrace({ ...trace, options: { ...trace.options, grading } }));
  const fromRoot = relative(join(LESSONS_DIR, ".."), file);
  return fromRoot.startsWith("..") ? file : fromRoot;
}
