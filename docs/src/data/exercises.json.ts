// Data loader (runs at build time): every graded exercise's title, stub file, functions and planted mistakes, for the lesson pages.

// The registry is not part of the grading index, and its index.js re-export is for bundlers; tsx reads the .ts directly.
import { discoverExercises } from "@course/lessons/grading/registry.ts";

const exercises = await discoverExercises();
process.stdout.write(
  JSON.stringify(
    exercises.map((e) => ({
      lesson: e.lesson,
      id: e.id,
      title: e.title,
      stubFile: e.stubFile,
      functions: e.functions,
      mistakes: Object.entries(e.mutants).map(([name, m]) => ({ name, description: m.description })),
    })),
  ),
);
