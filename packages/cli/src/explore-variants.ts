// The bugs `npm run explore --variant` can plant: the explorer's own variants, and every grading mutant plugged into its protocol.

import { discoverExercises } from "@course/lessons/grading/registry.js";
import { exerciseKey, type Exercise } from "@course/lessons/grading/exercise.js";
import { implChoice, implementation } from "@course/lessons/grading/impl.js";
import type { Search } from "@course/lessons/grading/exhaustive.js";
import { variantsOf, type Bounds, type ExploreOptions, type ProtocolName } from "@course/explore";
import { TARGETED_SEARCHES } from "./explore-searches.js";
import { UsageError } from "./npm-args.js";

/** What the explorer runs for a variant name. */
export interface PlantedBug {
  readonly name: string;
  readonly description: string;
  /** An explorer variant, by name... */
  readonly variant?: string;
  /** ...or a grading mutant's functions as node rules, with the node options its graded suite uses. */
  readonly rules?: Readonly<Record<string, unknown>>;
  readonly nodeOptions?: Readonly<Record<string, unknown>>;
  readonly rulesLabel?: string;
  /** Bounds a grading mutant's search uses instead of the protocol's defaults (flags on the command line still win). */
  readonly bounds?: Readonly<Partial<Bounds>>;
  /**
   * Searches before the default bound, each with a label: a grading mutant's from its exercise's exhaustive test
   * ("graded"), then any of TARGETED_SEARCHES for the name ("targeted"). Each has a scripted start and bounds.
   */
  readonly searches?: readonly PresetSearch[];
}

/** A search a variant runs before its default bound, and where it is defined. */
export type PresetSearch = Search & { readonly label: string; readonly source: "graded" | "targeted" };

/**
 * Which protocol each exercise's functions plug into, and the node options its graded suite runs with. The
 * exercises' function names are the node's rule names (Raft's `applyCommand` replaces the state machine's apply
 * step). Lesson 10's check decides quorum sizes, not a rule: its searches pass them as node options.
 */
export const EXERCISE_PROTOCOLS: Readonly<Record<string, { readonly protocol: ProtocolName; readonly nodeOptions?: Readonly<Record<string, unknown>>; readonly bounds?: Readonly<Partial<Bounds>> }>> = {
  "1/two-phase-commit": { protocol: "2pc" },
  "2/acceptor": { protocol: "paxos" },
  "3/proposer": { protocol: "paxos" },
  "4/merge": { protocol: "multi-paxos" },
  "5/request-vote": { protocol: "raft" },
  "5/pre-vote": { protocol: "raft", nodeOptions: { preVote: true, checkQuorum: true } },
  "6/append-entries": { protocol: "raft" },
  "7/leader-progress": { protocol: "raft" },
  // Exercise 8 includes what a server must persist: its mistakes show only across a crash and restart.
  "8/safety": { protocol: "raft", bounds: { crashes: 1 } },
  "9/install-snapshot": { protocol: "raft", nodeOptions: { snapshotEvery: 2 } },
  "11/sessions": { protocol: "raft" },
};

/** Every grading mutant of the exercises that plug into `protocol`, named "lesson/exercise/mutant". */
export async function gradingMutants(protocol: ProtocolName): Promise<PlantedBug[]> {
  const out: PlantedBug[] = [];
  for (const exercise of (await discoverExercises()) as Exercise[]) {
    const plug = EXERCISE_PROTOCOLS[exerciseKey(exercise)];
    if (plug?.protocol !== protocol) continue;
    for (const [name, mutant] of Object.entries(exercise.mutants)) {
      const label = `${exerciseKey(exercise)}/${name}`;
      const searches = [...gradedSearches(exercise, { ...exercise.reference, ...mutant.functions } as Exercise["reference"], protocol), ...targetedSearches(protocol, label, { rules: mutant.functions, ...(plug.nodeOptions ? { nodeOptions: plug.nodeOptions } : {}) })];
      out.push({ name: label, description: mutant.description, rules: mutant.functions, ...(plug.nodeOptions ? { nodeOptions: plug.nodeOptions } : {}), ...(plug.bounds ? { bounds: plug.bounds } : {}), rulesLabel: label, ...(searches.length > 0 ? { searches } : {}) });
    }
  }
  return out;
}

/** The searches of the exercise's exhaustive test (its definition's `search`) with `impl` plugged in, named for reports. */
function gradedSearches(exercise: Exercise, impl: Exercise["reference"], protocol: ProtocolName): PresetSearch[] {
  const searches = (exercise.search?.searches(impl) ?? []).filter((s) => s.options.protocol === protocol);
  const name = `exercise ${exerciseKey(exercise)}'s exhaustive test`;
  return searches.map((s, i) => ({ ...s, source: "graded", label: s.label !== undefined ? `${name}, ${s.label}` : searches.length > 1 ? `${name}, search ${i + 1}` : name }));
}

/** The targeted searches for a variant name (explore-searches.ts), with the bug planted: a variant by name, or rules and node options. */
function targetedSearches(protocol: ProtocolName, name: string, bug: Pick<ExploreOptions, "variant" | "rules" | "nodeOptions">): PresetSearch[] {
  return (TARGETED_SEARCHES[protocol][name] ?? []).map((t) => ({
    source: "targeted",
    label: `targeted search, ${t.label}`,
    start: t.start,
    options: { protocol, ...t.bounds, ...bug, nodeOptions: { ...bug.nodeOptions, ...t.nodeOptions } },
  }));
}

/** Every name `--variant` accepts for a protocol. */
export async function plantedBugs(protocol: ProtocolName): Promise<PlantedBug[]> {
  const own = Object.keys(variantsOf(protocol)).map((name) => ownVariant(protocol, name));
  return [...own, ...(await gradingMutants(protocol))];
}

/** An explorer variant as a planted bug, with its targeted searches if it has any. */
function ownVariant(protocol: ProtocolName, name: string): PlantedBug {
  const searches = targetedSearches(protocol, name, { variant: name });
  return { name, description: variantsOf(protocol)[name]?.description ?? "", variant: name, ...(searches.length > 0 ? { searches } : {}) };
}

/**
 * Finds a variant by name: an explorer variant, a grading mutant by its full name ("8/safety/commit-on-leader-alone"),
 * or by the mutant's own name when only one exercise of the protocol has it.
 */
export async function findBug(protocol: ProtocolName, name: string): Promise<PlantedBug> {
  const graded = await gradedCode(name);
  if (graded !== undefined) return graded;
  const all = await plantedBugs(protocol);
  const exact = all.find((b) => b.name === name);
  if (exact !== undefined) return exact;
  const short = all.filter((b) => b.rulesLabel !== undefined && b.name.endsWith(`/${name}`));
  if (short.length === 1) return short[0] as PlantedBug;
  if (short.length > 1) throw new UsageError(`"${name}" names mutants of several exercises: ${short.map((b) => b.name).join(", ")}; give the full name`);
  throw new UsageError(`${protocol} has no variant "${name}". List them with: npm run explore -- ${protocol} --list`);
}

/**
 * The code a graded exhaustive test searched with, named "5/request-vote@student" or "5/request-vote@file:PATH"
 * in its trace (see lessons/grading/exhaustive.ts): the exercise's functions loaded again, as node rules.
 */
async function gradedCode(label: string): Promise<PlantedBug | undefined> {
  const m = /^(\d+\/[a-z0-9-]+)@(.+)$/.exec(label);
  if (m === null) return undefined;
  const exercise = ((await discoverExercises()) as Exercise[]).find((e) => exerciseKey(e) === m[1]);
  if (exercise === undefined) throw new UsageError(`the trace names exercise ${m[1]}, which the course does not have`);
  let rules: Readonly<Record<string, unknown>>;
  try {
    rules = await implementation(exercise, implChoice({ COURSE_IMPL: m[2] }));
  } catch (e) {
    throw new UsageError(`cannot load the code the trace was searched with (${m[2]}): ${(e as Error).message}`);
  }
  return { name: label, description: `${m[2]} code of exercise ${m[1]}`, rules, rulesLabel: label };
}
