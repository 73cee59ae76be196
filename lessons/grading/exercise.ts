// What an exercise is: the functions a student writes, the reference they are graded against, known buggy variants and the search that hunts them.

import type { ExhaustiveTest } from "./exhaustive.js";

/** A set of named rule functions; an exercise asks for one or a few. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type RuleSet = Record<string, (...args: any[]) => any>;

export interface Mutant<F extends RuleSet> {
  /** The classic mistake it plants, in a sentence a student can read. */
  readonly description: string;
  /** The buggy functions; the rest come from the reference. */
  readonly functions: Partial<F>;
  /**
   * The suite's exhaustive test catches this mistake by itself: the proof runs that test alone on this mutant and
   * requires it to fail (so a change to the explorer or to the search's bound cannot quietly blind it).
   */
  readonly searchFinds?: true;
}

export interface Exercise<F extends RuleSet = RuleSet> {
  /** Lesson number, as in `npm run grade 5`. */
  readonly lesson: number;
  /** The lesson folder, e.g. "05-leader-election". */
  readonly folder: string;
  /** Short id, unique in the lesson: "request-vote". */
  readonly id: string;
  readonly title: string;
  /** The file the student edits, relative to the lessons folder. */
  readonly stubFile: string;
  /** The graded functions, in the order the stub declares them. */
  readonly functions: readonly (keyof F & string)[];
  /** Loads the student's file lazily, so a syntax error fails the tests with a message instead of the whole file. */
  readonly loadStudent: () => Promise<Partial<F>>;
  readonly reference: F;
  /** At least three classic mistakes; every one must make a graded test fail (checked by the proof run). */
  readonly mutants: Readonly<Record<string, Mutant<F>>>;
  /**
   * The suite's exhaustive test: the searches (scripted starts and bounds) it runs with the code under test, and
   * what to look at when one finds a counterexample. `g.exhaustive` runs it, and `npm run explore --variant` runs it
   * on this exercise's mutants.
   */
  readonly search?: ExhaustiveTest<F>;
  /** Other names the stub must not import from a course package because they would hand over the reference. */
  readonly forbiddenImports?: readonly string[];
  /**
   * Checks the shape of a result before a reference node uses it, so garbage fails with a readable message
   * instead of a TypeError deep inside the node. Returns what is wrong, or undefined.
   */
  readonly checkResult?: { readonly [K in keyof F]?: (result: unknown) => string | undefined };
}

export function defineExercise<F extends RuleSet>(exercise: Exercise<F>): Exercise<F> {
  const mutants = Object.keys(exercise.mutants);
  if (mutants.length < 3) throw new Error(`exercise ${exercise.lesson}/${exercise.id} needs at least three mutants, has ${mutants.length}`);
  for (const name of mutants) {
    if (!/^[a-z0-9-]+$/.test(name)) throw new Error(`mutant name "${name}" must be kebab-case (it is typed in COURSE_IMPL=mutant:${name})`);
  }
  return exercise;
}

/** "5/request-vote": how reports and the proof name an exercise. */
export function exerciseKey(exercise: Pick<Exercise, "lesson" | "id">): string {
  return `${exercise.lesson}/${exercise.id}`;
}
