// Trace files for failing simulation runs, written where the course site's trace viewer can open them.

import { mkdirSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { serializeTrace, toTraceFile, type Message, type Simulation } from "@course/sim";
import { LESSONS_DIR } from "./impl.js";

/** lessons/.grade-traces by default; COURSE_TRACE_DIR moves it; COURSE_TRACES=off writes nothing (the proof runs). */
export function traceDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.COURSE_TRACES === "off") return undefined;
  return env.COURSE_TRACE_DIR ?? join(LESSONS_DIR, ".grade-traces");
}

export function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60);
}

export interface TraceInfo {
  readonly lesson: number;
  readonly exercise: string;
  readonly test: string;
  readonly impl: string;
  readonly protocol: string;
  readonly failure: string;
}

/** Write the run's trace; returns the path (relative to the repository root when inside it), or undefined when off. */
export function writeFailureTrace(sim: Simulation<Message>, info: TraceInfo, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const dir = traceDir(env);
  if (dir === undefined) return undefined;
  mkdirSync(dir, { recursive: true });
  const seed = sim.spec.seed;
  const file = join(dir, `${String(info.lesson).padStart(2, "0")}-${info.exercise}-${slug(info.test)}-seed${seed}.json`);
  const trace = toTraceFile(sim, `grade/lesson-${info.lesson}/${info.exercise}/${slug(info.test)}`, {
    protocol: info.protocol,
    options: { lesson: info.lesson, exercise: info.exercise, test: info.test, impl: info.impl, seed, failure: info.failure },
  });
  writeFileSync(file, serializeTrace(trace));
  const fromRoot = relative(join(LESSONS_DIR, ".."), file);
  return fromRoot.startsWith("..") ? file : fromRoot;
}
