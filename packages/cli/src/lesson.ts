// `npm run lesson [N]`: lists the lessons, or runs lesson N's scenarios and narrates them in the terminal.

import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { createInterface } from "node:readline/promises";
import pc from "picocolors";
import { serializeTrace, toTraceFile, type TraceFile } from "@course/sim";
import { findLesson, lessons, type Lesson, type LiveIo, type LiveRunOptions, type Scenario } from "@course/lessons";
import { formatLine, narrationLines } from "./narrate.js";
import { describeOptions, parseInteger, parseNpmArgs, runIfMain, UsageError, withUsageErrors, type OptionSpecs } from "./npm-args.js";

/** Options that a lesson's live run (real software, not the simulator) adds, named with the lesson that uses them. */
const LIVE_OPTIONS: OptionSpecs = Object.fromEntries(
  lessons.flatMap((l) =>
    Object.entries(l.live?.options ?? {}).map(([name, o]) => [name, { type: o.type === "boolean" ? "boolean" : "string", description: `lesson ${l.number}: ${o.description}`, ...(o.value ? { value: o.value } : {}) }] as const),
  ),
);

const OPTIONS: OptionSpecs = {
  seed: { type: "string", value: "N", description: "seed for the run (default: the seed the lesson text was written for)" },
  scenario: { type: "string", value: "ID", description: "run only this scenario of the lesson" },
  variant: { type: "string", value: "KEY", description: "plant a known bug (a 'break it' variant the scenario offers)" },
  json: { type: "boolean", description: "print the trace as JSON on stdout instead of the narration" },
  trace: { type: "string", value: "FILE", description: "also write the trace to FILE (open it in the site's trace viewer)" },
  step: { type: "boolean", description: "pause after every line; press Enter to go on" },
  ...LIVE_OPTIONS,
  help: { type: "boolean", short: "h", description: "show this help" },
};

const USAGE = `usage: npm run lesson [N] [-- options]

  npm run lesson                      list the lessons
  npm run lesson 3                    run lesson 3 and narrate it
  npm run lesson 3 -- --seed 7        the same run with another seed
  npm run lesson 8 -- --scenario figure-8 --variant naive-commit

options:
${describeOptions(OPTIONS)}`;

interface LessonArgs {
  lesson?: number;
  seed?: number;
  scenario?: string;
  variant?: string;
  json: boolean;
  trace?: string;
  step: boolean;
  help: boolean;
  /** Values of the live-run options, checked against the lesson's declared types. */
  live: Record<string, number | boolean | string | undefined>;
}

export function parseLessonArgs(argv: readonly string[], env: NodeJS.ProcessEnv): LessonArgs {
  const { values, positionals } = parseNpmArgs(argv, OPTIONS, env, "lesson", 1);
  const lessonArg = positionals[0];
  const args: LessonArgs = { json: values.json === true, step: values.step === true, help: values.help === true, live: {} };
  if (lessonArg !== undefined) {
    if (!/^\d+$/.test(lessonArg)) throw new UsageError(`"${lessonArg}" is not a lesson number. Run \`npm run lesson\` to see the list.`);
    args.lesson = Number(lessonArg);
  }
  const seed = parseInteger(values.seed, "seed");
  if (seed !== undefined) args.seed = seed;
  if (typeof values.scenario === "string") args.scenario = values.scenario;
  if (typeof values.variant === "string") args.variant = values.variant;
  if (typeof values.trace === "string") args.trace = values.trace;
  for (const l of lessons) {
    for (const [name, o] of Object.entries(l.live?.options ?? {})) {
      const raw = values[name];
      if (raw === undefined) continue;
      args.live[name] = o.type === "integer" ? parseInteger(raw, name, o.min ?? 0) : raw;
    }
  }
  return args;
}

function listLessons(out: (line: string) => void): void {
  out(pc.bold("Lessons (run one with: npm run lesson N)\n"));
  for (const l of lessons) {
    out(`  ${pc.cyan(String(l.number).padStart(2))}  ${pc.bold(l.title)}`);
    out(`      ${pc.dim(l.summary)}`);
    if (l.live) out(`      ${pc.dim("-")} ${l.live.title} ${pc.yellow(`(real software: needs ${l.live.requires})`)}`);
    for (const s of l.scenarios) out(`      ${pc.dim("-")} ${s.id}: ${s.title}`);
  }
  if (lessons.length === 0) out("  (no lessons yet)");
}

function pickScenarios(lesson: Lesson, args: LessonArgs): Scenario[] {
  if (args.scenario === undefined) {
    if (args.variant !== undefined) {
      const offering = lesson.scenarios.filter((s) => s.variants && args.variant! in s.variants);
      if (offering.length === 0) throw new UsageError(variantError(lesson, args.variant));
      return offering;
    }
    return [...lesson.scenarios];
  }
  const s = lesson.scenarios.find((x) => x.id === args.scenario);
  if (!s) throw new UsageError(`lesson ${lesson.number} has no scenario "${args.scenario}"; it has: ${lesson.scenarios.map((x) => x.id).join(", ")}`);
  if (args.variant !== undefined && !(s.variants && args.variant in s.variants)) throw new UsageError(variantError(lesson, args.variant));
  return [s];
}

function variantError(lesson: Lesson, variant: string): string {
  const offered = [
    ...Object.keys(lesson.live?.variants ?? {}).map((v) => `${v} (the real run)`),
    ...lesson.scenarios.flatMap((s) => Object.keys(s.variants ?? {}).map((v) => `${v} (scenario ${s.id})`)),
  ];
  return `no scenario of lesson ${lesson.number} offers the variant "${variant}"; ${offered.length ? `available: ${offered.join(", ")}` : "this lesson has no variants"}`;
}

/** The one-line command that replays exactly this run. */
export function replayCommand(lesson: number, scenario: string, seed: number, variant?: string): string {
  return `npm run lesson ${lesson} -- --scenario ${scenario} --seed ${seed}${variant ? ` --variant ${variant}` : ""}`;
}

async function runLesson(lesson: Lesson, args: LessonArgs, out: (line: string) => void): Promise<TraceFile[]> {
  const scenarios = pickScenarios(lesson, args);
  const files: TraceFile[] = [];
  const rl = args.step ? createInterface({ input: process.stdin, output: process.stderr }) : undefined;
  try {
    if (!args.json) out(pc.bold(`Lesson ${lesson.number}: ${lesson.title}`) + `\n${pc.dim(lesson.summary)}`);
    for (const scenario of scenarios) {
      const seed = args.seed ?? scenario.defaultSeed;
      const run = scenario.run(args.variant === undefined ? { seed } : { seed, variant: args.variant });
      const file = toTraceFile(run.sim, `lesson-${lesson.number}/${scenario.id}`, {
        protocol: scenario.protocol,
        options: { lesson: lesson.number, scenario: scenario.id, ...(args.variant ? { variant: args.variant } : {}) },
      });
      files.push(file);
      if (args.json) continue;
      out(`\n${pc.bold(pc.magenta(`== ${scenario.title}`))}  ${pc.dim(`(scenario ${scenario.id}, seed ${seed}${args.variant ? `, variant ${args.variant}` : ""})`)}`);
      out(pc.dim(scenario.summary));
      const describe = scenario.describe?.bind(scenario);
      const lines = narrationLines(run.sim.trace, describe);
      // The result is printed last, once: scenarios usually record it as a result note too.
      for (const line of lines.filter((l) => !(l.kind === "result" && l.text === run.result))) {
        out(formatLine(line));
        if (rl) await rl.question(pc.dim("  (Enter) "));
      }
      out(`${pc.bold(pc.green("RESULT:"))} ${pc.bold(run.result)}`);
      const counts = run.sim.counters.total();
      out(pc.dim(`  ${counts.sent} messages sent, ${counts.delivered} delivered, ${counts.dropped} dropped; ${run.sim.stepCount} events; ${run.sim.now.toFixed(0)} ms of virtual time`));
      out(pc.dim(`  replay: ${replayCommand(lesson.number, scenario.id, seed, args.variant)}`));
    }
  } finally {
    rl?.close();
  }
  return files;
}

function traceFileName(base: string, scenario: string, many: boolean): string {
  if (!many) return base;
  const dot = base.lastIndexOf(".");
  return dot > 0 ? `${base.slice(0, dot)}-${scenario}${base.slice(dot)}` : `${base}-${scenario}`;
}

export async function main(argv: readonly string[], env: NodeJS.ProcessEnv, out: (line: string) => void = console.log): Promise<number> {
  return withUsageErrors(async () => {
    const args = parseLessonArgs(argv, env);
    if (args.help) {
      out(USAGE);
      return 0;
    }
    if (args.lesson === undefined) {
      if (args.json || args.trace || args.seed !== undefined || args.scenario || args.variant || args.step) {
        throw new UsageError("options need a lesson number, for example: npm run lesson 3 -- --seed 7");
      }
      listLessons(out);
      return 0;
    }
    const lesson = findLesson(args.lesson);
    if (!lesson) {
      const range = lessons.length ? `${lessons[0]!.number}-${lessons.at(-1)!.number}` : "none yet";
      throw new UsageError(`there is no lesson ${args.lesson} (lessons: ${range}). Run \`npm run lesson\` to see the list.`);
    }
    const live = lesson.live;
    if (live && args.scenario === undefined && (args.variant === undefined || (live.variants !== undefined && args.variant in live.variants))) {
      return runLive(lesson, args, env, out);
    }
    const files = await runLesson(lesson, args, out);
    if (args.json) out(files.length === 1 ? serializeTrace(files[0]!) : `[${files.map(serializeTrace).join(",")}]`);
    if (args.trace) {
      for (const f of files) {
        // npm runs scripts from the repository root; INIT_CWD is where the student typed the command.
        const name = resolve(env.INIT_CWD ?? process.cwd(), traceFileName(args.trace, String(f.options?.scenario), files.length > 1));
        writeFileSync(name, serializeTrace(f));
        (args.json ? console.error : out)(pc.dim(`trace written to ${name}`));
      }
    }
    return 0;
  });
}

const STYLES: LiveIo["format"] = { emphasis: pc.bold, dim: pc.dim, good: pc.green, bad: pc.red };

/** A lesson part that runs real software: it narrates itself, in real time, and decides its own exit status. */
async function runLive(lesson: Lesson, args: LessonArgs, env: NodeJS.ProcessEnv, out: (line: string) => void): Promise<number> {
  const live = lesson.live as NonNullable<Lesson["live"]>;
  if (args.step) throw new UsageError(`lesson ${lesson.number} runs real processes in real time, so it cannot pause after every line; --step works with its simulated scenario (--scenario ${lesson.scenarios[0]?.id ?? "ID"})`);
  const options: LiveRunOptions = {
    seed: args.seed ?? live.defaultSeed,
    ...(args.variant === undefined ? {} : { variant: args.variant }),
    ...(args.trace === undefined ? {} : { trace: resolve(env.INIT_CWD ?? process.cwd(), args.trace) }),
    json: args.json,
    extra: args.live,
  };
  const say = args.json ? (line: string) => console.error(line) : out;
  say(pc.bold(`Lesson ${lesson.number}: ${lesson.title}`) + `\n${pc.dim(lesson.summary)}`);
  say(`\n${pc.bold(pc.magenta(`== ${live.title}`))}  ${pc.dim(`(seed ${options.seed}${options.variant ? `, variant ${options.variant}` : ""})`)}`);
  const code = await live.run(options, { out, format: STYLES });
  const replay = `npm run lesson ${lesson.number} -- --seed ${options.seed}${options.variant ? ` --variant ${options.variant}` : ""}`;
  say(pc.dim(`  run it again: ${replay} (a real cluster: the faults repeat, the timings do not)`));
  return code;
}

runIfMain(import.meta.url, main);
