// Finds every exercise: each lesson's exercise/exercise.ts exports one or more exercise definitions.

import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Exercise } from "./exercise.js";
import { LESSONS_DIR } from "./impl.js";

function isExercise(value: unknown): value is Exercise {
  const e = value as Partial<Exercise> | undefined;
  return typeof e === "object" && e !== null && typeof e.lesson === "number" && typeof e.id === "string" && Array.isArray(e.functions) && typeof e.mutants === "object";
}

/** Every exercise definition, in lesson order. */
export async function discoverExercises(dir: string = LESSONS_DIR): Promise<Exercise[]> {
  const out: Exercise[] = [];
  for (const folder of readdirSync(dir).filter((f) => /^\d+-/.test(f)).sort()) {
    const file = join(dir, folder, "exercise", "exercise.ts");
    if (!existsSync(file)) continue;
    const module = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
    for (const value of Object.values(module)) if (isExercise(value)) out.push(value);
  }
  return out.sort((a, b) => a.lesson - b.lesson || a.id.localeCompare(b.id));
}

/** The graded suite of an exercise lives next to its stub: <folder>/exercise/<id>.test.ts. */
export function testFileOf(exercise: Pick<Exercise, "folder" | "id">): string {
  return `${exercise.folder}/exercise/${exercise.id}.test.ts`;
}

/**
 * Is the stub as shipped? Every graded function still throws its TODO error. (A student who has started
 * editing it is no longer grading the untouched stub, and the proof says so instead of failing.)
 */
export function stubUntouched(exercise: Pick<Exercise, "stubFile" | "functions">, dir: string = LESSONS_DIR): boolean {
  const source = readFileSync(join(dir, exercise.stubFile), "utf8");
  const todos = source.match(/throw new Error\("TODO/g)?.length ?? 0;
  return todos >= exercise.functions.length;
}
