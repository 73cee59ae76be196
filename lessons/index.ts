// The lesson registry: every lesson in course order, for the terminal CLI and the site.

import type { Lesson } from "./lesson.js";

export type { Lesson, Scenario, ScenarioOptions, ScenarioRun, Protocol } from "./lesson.js";

export const lessons: readonly Lesson[] = [
];

export function findLesson(n: number): Lesson | undefined {
  return lessons.find((l) => l.number === n);
}
