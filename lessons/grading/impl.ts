// The implementation switch: COURSE_IMPL=student|reference|mutant:<name>|file:<path> picks what the graded suites run.

import { readFileSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { exerciseKey, type Exercise, type RuleSet } from "./exercise.js";
import { withTimeLimit } from "./guard.js";

export type ImplChoice =
  | { readonly kind: "student" }
  | { readonly kind: "reference" }
  | { readonly kind: "mutant"; readonly name: string }
  /** Another file written like the stub (a submission to grade, or a solution of the course's corpus), relative to the lessons folder. */
  | { readonly kind: "file"; readonly path: string };

/** Where the lessons folder is, for reading stubs and writing traces. */
export const LESSONS_DIR = fileURLToPath(new URL("..", import.meta.url));

/** The solutions corpus, graded as file:<path> (see corpus.ts): grading/solutions/<NN>-<exercise id>/<name>.ts, relative to the lessons folder. */
export const SOLUTIONS_DIR = "grading/solutions";

/**
 * Reads COURSE_IMPL. Unset means the student's file: that is what `npm run grade`, a plain `npx vitest` and the
 * editor grade. Only the course's own test run binds the reference (grading/course-run.config.ts sets
 * "reference"), and the proof binds mutants (grading/proof-run.config.ts).
 */
export function implChoice(env: NodeJS.ProcessEnv = process.env): ImplChoice {
  const raw = (env.COURSE_IMPL ?? "student").trim();
  if (raw === "student" || raw === "") return { kind: "student" };
  if (raw === "reference") return { kind: "reference" };
  if (raw.startsWith("mutant:") && raw.length > "mutant:".length) return { kind: "mutant", name: raw.slice("mutant:".length) };
  if (raw.startsWith("file:") && raw.length > "file:".length) return { kind: "file", path: raw.slice("file:".length) };
  throw new Error(`COURSE_IMPL="${raw}" is not understood: use student, reference, mutant:<name> or file:<path>`);
}

/**
 * The choice for one exercise: COURSE_IMPL_MAP (JSON, {"5/request-vote": "mutant:vote-for-everyone"}) lets the
 * proof run give every exercise its own mutant in one vitest run; exercises it does not name use COURSE_IMPL.
 */
export function implChoiceFor(exercise: Pick<Exercise, "lesson" | "id">, env: NodeJS.ProcessEnv = process.env): ImplChoice {
  const map = env.COURSE_IMPL_MAP;
  if (map !== undefined && map !== "") {
    const entry = (JSON.parse(map) as Record<string, string>)[exerciseKey(exercise)];
    if (entry !== undefined) return implChoice({ COURSE_IMPL: entry });
  }
  return implChoice(env);
}

export function describeChoice(choice: ImplChoice): string {
  if (choice.kind === "mutant") return `mutant:${choice.name}`;
  return choice.kind === "file" ? `file:${choice.path}` : choice.kind;
}

/** A problem with the code under test that a student should read (not a bug in the grader). */
export class StudentCodeError extends Error {
  override name = "StudentCodeError";
}

const loaded = new Map<string, Promise<RuleSet>>();

/** The functions the suites call, for the current COURSE_IMPL, each wrapped to report errors and garbage clearly. */
export function implementation<F extends RuleSet>(exercise: Exercise<F>, choice: ImplChoice = implChoiceFor(exercise)): Promise<F> {
  const key = `${exerciseKey(exercise)}:${describeChoice(choice)}`;
  let p = loaded.get(key);
  if (p === undefined) {
    p = load(exercise, choice).then((fns) => wrapAll(exercise, fns, choice));
    loaded.set(key, p);
  }
  return p as Promise<F>;
}

async function load<F extends RuleSet>(exercise: Exercise<F>, choice: ImplChoice): Promise<F> {
  if (choice.kind === "reference") return exercise.reference;
  if (choice.kind === "mutant") {
    const mutant = exercise.mutants[choice.name];
    if (mutant === undefined) {
      throw new Error(`exercise ${exerciseKey(exercise)} has no mutant "${choice.name}"; it has: ${Object.keys(exercise.mutants).join(", ")}`);
    }
    return { ...exercise.reference, ...mutant.functions };
  }
  const file = choice.kind === "file" ? choice.path : exercise.stubFile;
  let module: Partial<F>;
  try {
    module = choice.kind === "file" ? ((await import(pathToFileURL(lessonsPath(file)).href)) as Partial<F>) : await exercise.loadStudent();
  } catch (e) {
    throw new StudentCodeError(`${file} could not be loaded: ${(e as Error).message}. Fix the syntax or import error first.`);
  }
  const out: Partial<F> = {};
  for (const name of exercise.functions) {
    const fn = module[name];
    if (typeof fn !== "function") throw new StudentCodeError(`${file} must export a function named ${name} (found ${fn === undefined ? "nothing" : typeof fn}).`);
    if (fn === exercise.reference[name]) {
      throw new StudentCodeError(`${file} exports the course's own ${name} instead of yours: write the rule yourself.`);
    }
    out[name] = fn as F[typeof name];
  }
  const copied = referenceImports(exercise, file);
  if (copied.length > 0) {
    throw new StudentCodeError(`${file} imports the course's reference ${copied.join(", ")}: write the rule yourself (helpers and types are fine).`);
  }
  return out as F;
}

/** A path relative to the lessons folder (or absolute) as an absolute path. */
function lessonsPath(file: string): string {
  return isAbsolute(file) ? file : join(LESSONS_DIR, file);
}

/** Names of graded functions the stub (or `file`) imports from a course package (honour-based, but it should not happen by accident). */
export function referenceImports(exercise: Pick<Exercise, "stubFile" | "functions" | "forbiddenImports">, file: string = exercise.stubFile): string[] {
  let source: string;
  try {
    source = readFileSync(lessonsPath(file), "utf8");
  } catch {
    return [];
  }
  const found: string[] = [];
  for (const m of source.matchAll(/import\s+(?:type\s+)?\{([^}]*)\}\s*from\s*["']@course\/[a-z0-9-]+["']/g)) {
    const names = (m[1] ?? "").split(",").map((s) => s.trim().replace(/^type\s+/, "").split(/\s+as\s+/)[0]?.trim());
    for (const fn of [...exercise.functions, ...(exercise.forbiddenImports ?? [])]) if (names.includes(fn)) found.push(fn);
  }
  for (const m of source.matchAll(/export\s+\{([^}]*)\}\s*from\s*["']@course\//g)) {
    for (const fn of exercise.functions) if ((m[1] ?? "").split(",").some((s) => s.trim().split(/\s+as\s+/)[0] === fn)) found.push(fn);
  }
  // Reaching the reference through an object (`raft.handleRequestVote`, `referenceRules["handleRequestVote"]`).
  const code = source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/\/\/.*$/gm, "");
  for (const fn of exercise.functions) {
    if (new RegExp(`\\.\\s*${fn}\\b|\\[\\s*["'\`]${fn}["'\`]\\s*\\]`).test(code)) found.push(fn);
  }
  return [...new Set(found)];
}

/**
 * The graded functions the student has not started: called with no arguments, each throws its "TODO" error
 * at once, as the shipped stub does. A result, a TypeError from the missing arguments or any other error
 * means something has been written. Throws StudentCodeError when the file does not load or lacks an export.
 */
export async function unwrittenFunctions(exercise: Exercise): Promise<string[]> {
  const fns = await load(exercise, { kind: "student" });
  const unwritten: string[] = [];
  for (const name of exercise.functions) {
    try {
      withTimeLimit(() => (fns[name] as () => unknown)(), 100, name);
    } catch (e) {
      if (e instanceof Error && e.message.startsWith("TODO")) unwritten.push(name);
    }
  }
  return unwritten;
}

function wrapAll<F extends RuleSet>(exercise: Exercise<F>, fns: F, choice: ImplChoice): F {
  if (choice.kind === "reference") return fns;
  const out: Partial<F> = { ...fns };
  for (const name of exercise.functions) {
    const fn = fns[name] as F[typeof name];
    const check = exercise.checkResult?.[name];
    out[name] = ((...args: unknown[]) => {
      let result: unknown;
      try {
        result = fn(...args);
      } catch (e) {
        throw explainThrow(name, e);
      }
      const problem = check?.(result);
      if (problem !== undefined) throw new StudentCodeError(`${name} returned ${preview(result)}: ${problem}`);
      return result;
    }) as F[typeof name];
  }
  return out as F;
}

function explainThrow(name: string, e: unknown): Error {
  if (e instanceof StudentCodeError || (e as { name?: string })?.name === "TimeLimitError") return e as Error;
  const message = e instanceof Error ? e.message : String(e);
  if (message.startsWith("TODO")) return new StudentCodeError(`${name} is not written yet (${message}).`);
  const err = new StudentCodeError(`${name} threw ${e instanceof Error ? e.name : "a value"}: ${message}`);
  if (e instanceof Error && e.stack) err.stack = `${err.name}: ${err.message}\n${e.stack.split("\n").slice(1).join("\n")}`;
  return err;
}

/** A short JSON rendering of a value for failure messages. */
export function preview(value: unknown, max = 160): string {
  let text: string;
  try {
    text = value === undefined ? "undefined" : typeof value === "function" ? "a function" : (JSON.stringify(value) ?? String(value));
  } catch {
    text = String(value);
  }
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
