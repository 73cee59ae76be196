// `npm run lesson [N]`: lists the lessons, or runs lesson N's scenarios and narrates them in the terminal.

import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import pc from "picocolors";
import { serializeTrace, toTraceFile, type TraceFile } from "@course/sim";
import { findLesson, lessons, type Lesson, type LiveIo, type LiveRunOptions, type Scenario } from "@course/lessons";
import { clusterAnnouncement, formatLine, narrationLines, wrapText } from "./narrate.js";
import { describeOptions, parseInteger, parseNpmArgs, runIfMain, UsageError, withUsageErrors, type OptionSpecs } from "./npm-args.js";
import { Pauser, type PauseIo } from "./pause.js";

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
  step: {
    type: "string",
    value: "event",
    bareValue: "labels",
    choices: ["labels", "event"],
    description: "pause at every labeled step (the points the site lets you jump to); --step=event pauses after every line. Enter goes on",
  },
  ...LIVE_OPTIONS,
  help: { type: "boolean", short: "h", description: "show this help" },
};

const USAGE = `usage: npm run lesson [N] [-- options]

  npm run lesson                      list the lessons
  npm run lesson 3                    run lesson 3 and narrate it
  npm run lesson 3 -- --seed 7        the same run with another seed
  npm run lesson 8 -- --scenario figure-8 --variant naive-commit
  npm run lesson 7 -- --step          pause at each labeled step (--step=event: at every line)

options:
${describeOptions(OPTIONS)}`;

interface LessonArgs {
  lesson?: number;
  seed?: number;
  scenario?: string;
  variant?: string;
  json: boolean;
  trace?: string;
  /** Pause at each labeled step, or after every line. */
  step?: "labels" | "event";
  help: boolean;
  /** Values of the live-run options, checked against the lesson's declared types. */
  live: Record<string, number | boolean | string | undefined>;
}

/** Where a run's narration goes, and where `--step` reads its Enter from. */
export interface LessonIo {
  /** Wrap narration to this many columns (stdout's width when it is a terminal). */
  readonly width?: number;
  readonly pause?: PauseIo;
}

export function parseLessonArgs(argv: readonly string[], env: NodeJS.ProcessEnv): LessonArgs {
  const { values, positionals } = parseNpmArgs(argv, OPTIONS, env, "lesson", 1, strayHint);
  const lessonArg = positionals[0];
  const args: LessonArgs = { json: values.json === true, help: values.help === true, live: {} };
  if (values.step === "labels" || values.step === "event") args.step = values.step;
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

/** What to say about a second positional argument: `npm run lesson 3 4` most likely meant one of two commands. */
function strayHint(stray: string, kept: readonly string[]): string {
  const lesson = kept[0] ?? "3";
  if (/^\d+$/.test(stray)) return `Run one lesson at a time: \`npm run lesson ${stray}\`, or lesson ${lesson} with seed ${stray}: \`npm run lesson ${lesson} -- --seed ${stray}\`.`;
  return `Options go after --, for example: \`npm run lesson ${lesson} -- --seed 7\`.`;
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
  if (args.variant !== undefined && !(s.variants && args.variant in s.variants)) throw new UsageError(scenarioVariantError(lesson, s, args.variant));
  return [s];
}

function variantError(lesson: Lesson, variant: string): string {
  const offered = [
    ...Object.keys(lesson.live?.variants ?? {}).map((v) => `${v} (the real run)`),
    ...lesson.scenarios.flatMap((s) => Object.keys(s.variants ?? {}).map((v) => `${v} (scenario ${s.id})`)),
  ];
  return `no scenario of lesson ${lesson.number} offers the variant "${variant}"; ${offered.length ? `the variants it has: ${offered.join(", ")}` : "this lesson has no variants"}`;
}

/** The chosen scenario lacks the variant: say what it offers, and which scenario the variant belongs to, if any. */
function scenarioVariantError(lesson: Lesson, scenario: Scenario, variant: string): string {
  const own = Object.keys(scenario.variants ?? {});
  const has = own.length ? `its variants: ${own.join(", ")}` : "it has no variants";
  const owner = lesson.scenarios.find((x) => x.variants !== undefined && variant in x.variants);
  const elsewhere = owner ? `. "${variant}" belongs to scenario ${owner.id}: \`npm run lesson ${lesson.number} -- --scenario ${owner.id} --variant ${variant}\`` : "";
  return `scenario ${scenario.id} has no variant "${variant}"; ${has}${elsewhere}`;
}

/** The one-line command that replays exactly this run. */
export function replayCommand(lesson: number, scenario: string, seed: number, variant?: string): string {
  return `npm run lesson ${lesson} -- --scenario ${scenario} --seed ${seed}${variant ? ` --variant ${variant}` : ""}`;
}

async function runLesson(lesson: Lesson, args: LessonArgs, out: (line: string) => void, io: LessonIo): Promise<TraceFile[]> {
  const scenarios = pickScenarios(lesson, args);
  const files: TraceFile[] = [];
  const pauser = args.step && !args.json ? new Pauser(io.pause ?? { input: process.stdin, output: process.stderr }) : undefined;
  // Untimed text (summaries, the result) wraps too, with the continuation indented by two columns.
  const say = (text: string, paint: (s: string) => string, first: (s: string) => string = paint, indent = 0) =>
    out(wrapText(text, io.width ?? Infinity, indent + 2, indent).map((part, i) => " ".repeat(i === 0 ? indent : indent + 2) + (i === 0 ? first(part) : paint(part))).join("\n"));
  try {
    if (!args.json) {
      out(pc.bold(`Lesson ${lesson.number}: ${lesson.title}`));
      say(lesson.summary, pc.dim);
    }
    for (const scenario of scenarios) {
      const seed = args.seed ?? scenario.defaultSeed;
      const run = scenario.run(args.variant === undefined ? { seed } : { seed, variant: args.variant });
      const file = toTraceFile(run.sim, `lesson-${lesson.number}/${scenario.id}`, {
        protocol: scenario.protocol,
        options: { lesson: lesson.number, scenario: scenario.id, ...(args.variant ? { variant: args.variant } : {}) },
      });
      files.push(file);
      if (args.json) continue;
      out("");
      say(`== ${scenario.title}  (scenario ${scenario.id}, seed ${seed}${args.variant ? `, variant ${args.variant}` : ""})`, pc.dim, (part) => pc.bold(pc.magenta(part)));
      say(scenario.summary, pc.dim);
      const size = clusterAnnouncement(run.sim.nodeIds.length);
      if (size !== undefined) say(size, pc.bold);
      const describe = scenario.describe?.bind(scenario);
      const lines = narrationLines(run.sim.trace, describe);
      // A labeled step is shown whole, as a jump to it on the site shows it: the pause comes after its step's last line.
      let shownStep: number | undefined;
      // The result is printed last, once: scenarios usually record it as a result note too.
      for (const line of lines.filter((l) => !(l.kind === "result" && l.text === run.result))) {
        if (pauser && shownStep !== undefined && line.step > shownStep) {
          await pauser.pause(pc.dim("  (Enter: on to the next labeled step) "));
          shownStep = undefined;
        }
        out(formatLine(line, io.width));
        if (pauser && args.step === "event") await pauser.pause(pc.dim("  (Enter) "));
        if (pauser && args.step === "labels" && line.label !== undefined) shownStep = line.step;
      }
      if (pauser && shownStep !== undefined) await pauser.pause(pc.dim("  (Enter: on to the result) "));
      say(`RESULT: ${run.result}`, pc.bold, (part) => `${pc.bold(pc.green("RESULT:"))}${pc.bold(part.slice("RESULT:".length))}`);
      const counts = run.sim.counters.total();
      say(`${counts.sent} messages sent, ${counts.delivered} delivered, ${counts.dropped} dropped; ${run.sim.stepCount} events; ${run.sim.now.toFixed(0)} ms of virtual time`, pc.dim, pc.dim, 2);
      // The replay command stays on one line, whatever the width, so that it can be copied whole.
      out(pc.dim(`  replay: ${replayCommand(lesson.number, scenario.id, seed, args.variant)}`));
    }
  } finally {
    pauser?.close();
  }
  return files;
}


function traceFileName(base: string, scenario: string, many: boolean): string {
  if (!many) return base;
  const dot = base.lastIndexOf(".");
  return dot > 0 ? `${base.slice(0, dot)}-${scenario}${base.slice(dot)}` : `${base}-${scenario}`;
}

export async function main(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  out: (line: string) => void = console.log,
  io: LessonIo = process.stdout.isTTY ? { width: process.stdout.columns } : {},
): Promise<number> {
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
    const files = await runLesson(lesson, args, out, io);
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
