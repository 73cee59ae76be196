// Which searches `npm run explore --variant` runs: a grading mutant's graded searches and a variant's targeted ones from their scripted starts, then the bound from the initial state.

import { explore, ExploreError, resolveRun, scriptChoices, type ExploreOptions, type ExploreResult, type ProtocolName, type ScriptStep } from "@course/explore";
import type { PlantedBug } from "./explore-variants.js";

/** One search of the plan: its options, and where they come from. */
export interface PlannedSearch {
  /**
   * "graded": a search of the mutant's exercise's exhaustive test (its start and bounds); "targeted": a search of
   * explore-searches.ts for this variant; "bound": the protocol's (or the variant's) default bound, or the bound
   * flags given, from the initial state or `--from`.
   */
  readonly source: "graded" | "targeted" | "bound";
  readonly label: string;
  /** The scripted steps the search starts after (a graded or targeted search's start); they are the first steps of any counterexample. */
  readonly start?: readonly ScriptStep[];
  readonly options: ExploreOptions;
}

/** Option keys that set a bound (or the cluster): any of them on the command line means "search this bound, as given". */
const BOUND_KEYS = ["nodes", "depth", "maxStates", "drops", "duplicates", "crashes", "timers", "requests", "lifetime"] as const;

/**
 * The searches to run, in order, until one finds something. A variant searched with no bound flag, no
 * `--from`/`--from-start` and no `--shard` first runs its preset searches (a grading mutant's graded searches, then
 * the variant's targeted ones; each from its scripted start, within its bounds), then its default bound from the
 * initial state; otherwise there is one search, as asked.
 * `commandLine` holds the options given as flags (bounds, strategy, symmetry, liveness, seed, shard).
 */
export function searchPlan(protocol: ProtocolName, bug: PlantedBug | undefined, commandLine: Omit<ExploreOptions, "protocol">, from?: ExploreOptions["from"]): PlannedSearch[] {
  const planted: Partial<ExploreOptions> = {
    ...(bug?.variant === undefined ? {} : { variant: bug.variant }),
    ...(bug?.rules === undefined ? {} : { rules: bug.rules, rulesLabel: bug.rulesLabel as string }),
    ...(bug?.nodeOptions === undefined ? {} : { nodeOptions: bug.nodeOptions }),
  };
  const bounded = BOUND_KEYS.some((k) => commandLine[k] !== undefined);
  const asked: PlannedSearch = {
    source: "bound",
    label: `${bounded ? "the bounds given" : "the default bound"}, ${from === undefined || from.length === 0 ? "from the initial state" : `from the end of a path of ${from.length} steps`}`,
    options: { protocol, ...(bug?.bounds ?? {}), ...commandLine, ...planted, ...(from === undefined ? {} : { from }) },
  };
  if (bug?.searches === undefined || bounded || from !== undefined || commandLine.shard !== undefined) return [asked];
  const preset = bug.searches.map((s): PlannedSearch => {
    // The search's own options (rules, node options, bounds), then the flags given (strategy, liveness, seed...).
    const options: ExploreOptions = { ...s.options, ...commandLine, ...(bug.rulesLabel === undefined ? {} : { rulesLabel: bug.rulesLabel }) };
    return { source: s.source, label: s.label, ...(s.start === undefined ? {} : { start: s.start }), options };
  });
  return [...preset, asked];
}

/**
 * What one planned search did: its result and how many of a counterexample's first steps are the scripted start's,
 * or the reason its scripted start could not be played.
 */
export type SearchOutcome = { readonly result: ExploreResult; readonly startSteps: number; readonly startFailed?: undefined } | { readonly result?: undefined; readonly startFailed: string };

/**
 * Runs one planned search. A scripted start is played first and becomes the start of the path, so a counterexample's
 * trace replays from the initial state. A start the planted bug cannot play (a node throws, a checker fires on the
 * way) is reported as such: the bug showed before the search began.
 */
export function runPlanned(search: PlannedSearch, extra: Pick<ExploreOptions, "onProgress" | "progressEvery"> = {}): SearchOutcome {
  let from: ExploreOptions["from"];
  if (search.start !== undefined) {
    const run = resolveRun(search.options);
    try {
      from = scriptChoices(run, search.start);
    } catch (e) {
      if (!(e instanceof ExploreError)) throw e;
      return { startFailed: e.message };
    }
  }
  return { result: explore({ ...search.options, ...(from === undefined ? {} : { from }), ...extra }), startSteps: (from ?? search.options.from ?? []).length };
}

/** A search in a line: its label, and its scripted start. */
export function searchTitle(search: PlannedSearch): string {
  return search.start === undefined ? search.label : `${search.label}: ${search.start.length} scripted steps, then every continuation within the bounds`;
}

/** One search in the JSON output's `searches`: where it came from, what it covered, what it found. */
export interface SearchReport {
  readonly source: PlannedSearch["source"];
  readonly label: string;
  /** Steps played before the search (a scripted start, or the path of `--from`). */
  readonly startSteps: number;
  readonly bounds?: ExploreResult["bounds"];
  readonly distinctStates?: number;
  readonly exhausted?: boolean;
  readonly elapsedMs: number;
  /** The invariant that broke, "stuck" (liveness), or absent when the search found nothing. */
  readonly found?: string;
  /** Why the scripted start could not be played (then the search did not run). */
  readonly startFailed?: string;
}

export function searchReport(search: PlannedSearch, outcome: SearchOutcome, ms: number): SearchReport {
  const base = { source: search.source, label: search.label, elapsedMs: Math.round(ms) };
  if (outcome.startFailed !== undefined) return { ...base, startSteps: 0, startFailed: outcome.startFailed };
  const r = outcome.result;
  const found = r.violation?.invariant ?? (r.stuck ? "stuck" : undefined);
  return { ...base, startSteps: outcome.startSteps, bounds: r.bounds, distinctStates: r.distinctStates, exhausted: r.exhausted, ...(found === undefined ? {} : { found }) };
}
