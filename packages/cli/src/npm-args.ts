// Command-line parsing that survives npm: flags typed before `--` reach us only as npm_config_* variables.

import { parseArgs } from "node:util";
import pc from "picocolors";
import { isMain } from "@course/lessons/grading/index.js";

export interface OptionSpec {
  readonly type: "string" | "boolean";
  readonly short?: string;
  readonly description: string;
  /** Placeholder shown in help, e.g. "N" or "FILE". */
  readonly value?: string;
  /** A string option that may be given bare (`--step`): the value it then takes. */
  readonly bareValue?: string;
  /** The values a string option accepts; with `bareValue`, a following word among them is taken as its value. */
  readonly choices?: readonly string[];
}

export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

/** Thrown for anything a user typed wrong; the CLI prints the message and exits with status 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

export interface ParsedArgs {
  readonly values: Record<string, string | boolean | undefined>;
  readonly positionals: string[];
}

/**
 * Parses argv and recovers options that npm swallowed.
 *
 * `npm run lesson 3 -- --seed 7` passes `--seed 7` through untouched. Without the `--`, npm keeps the flag:
 * `--seed=7` arrives only as npm_config_seed=7, and `--seed 7` as npm_config_seed=true plus a stray positional
 * "7". Both are put back here. Only our own option names are read from the environment, and only when npm
 * started this script for `lifecycleEvent`, so a user's unrelated npm settings are never mistaken for flags.
 */
export function parseNpmArgs(
  argv: readonly string[],
  specs: OptionSpecs,
  env: NodeJS.ProcessEnv,
  lifecycleEvent: string,
  maxPositionals: number,
  strayHint?: (stray: string, kept: readonly string[]) => string,
): ParsedArgs {
  let parsed: { values: Record<string, string | boolean | undefined>; positionals: string[] };
  try {
    parsed = parseArgs({
      args: normalizeArgv(argv, specs),
      allowPositionals: true,
      strict: true,
      options: Object.fromEntries(Object.entries(specs).map(([name, s]) => [name, s.short ? { type: s.type, short: s.short } : { type: s.type }])),
    }) as typeof parsed;
  } catch (e) {
    throw new UsageError(rewordParseError((e as Error).message));
  }
  const values = { ...parsed.values };
  const positionals = [...parsed.positionals];
  if (env.npm_lifecycle_event === lifecycleEvent) {
    for (const [name, spec] of Object.entries(specs)) {
      const raw = env[`npm_config_${name.replace(/-/g, "_")}`];
      if (raw === undefined || values[name] !== undefined) continue;
      if (spec.type === "boolean") {
        values[name] = raw !== "false" && raw !== "";
      } else if (raw === "true" && spec.bareValue !== undefined) {
        values[name] = spec.bareValue;
      } else if (raw === "true") {
        // `--seed 7` before `--`: npm kept the flag and left its value as a stray positional.
        const stray = positionals.length > maxPositionals ? positionals.splice(maxPositionals, 1)[0] : undefined;
        if (stray === undefined) throw new UsageError(`--${name} needs a value. Type it as: npm run ${lifecycleEvent} -- --${name} ${spec.value ?? "VALUE"}`);
        values[name] = stray;
      } else {
        values[name] = raw;
      }
    }
  }
  if (positionals.length > maxPositionals) {
    const stray = positionals[maxPositionals] as string;
    const kept = positionals.slice(0, maxPositionals);
    throw new UsageError(`unexpected argument "${stray}". ${strayHint ? strayHint(stray, kept) : `Options go after --, for example: npm run ${lifecycleEvent} -- --seed 7`}`);
  }
  for (const [name, spec] of Object.entries(specs)) {
    const value = values[name];
    if (spec.choices !== undefined && typeof value === "string" && !spec.choices.includes(value)) {
      throw new UsageError(`--${name} must be ${spec.choices.map((c) => `"${c}"`).join(" or ")}, got "${value}"`);
    }
  }
  return { values, positionals };
}

/**
 * Rewrites what parseArgs cannot read: a bare flag that takes an optional value (`--step` becomes
 * `--step=labels`, `--step event` becomes `--step=event`), and a negative number after a flag (`--seed -1`
 * becomes `--seed=-1`, so that it gets the same message as `--seed=-1` instead of looking like an option).
 */
function normalizeArgv(argv: readonly string[], specs: OptionSpecs): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const next = argv[i + 1];
    const spec = arg.startsWith("--") && !arg.includes("=") ? specs[arg.slice(2)] : undefined;
    if (arg === "--") {
      out.push(...argv.slice(i));
      break;
    }
    if (spec?.type === "string" && spec.bareValue !== undefined) {
      const takesNext = next !== undefined && spec.choices?.includes(next) === true;
      out.push(`${arg}=${takesNext ? next : spec.bareValue}`);
      if (takesNext) i++;
    } else if (spec?.type === "string" && next !== undefined && /^-\d/.test(next)) {
      out.push(`${arg}=${next}`);
      i++;
    } else {
      out.push(arg);
    }
  }
  return out;
}

function rewordParseError(message: string): string {
  const unknown = /Unknown option '([^']+)'/.exec(message);
  if (unknown) return `unknown option ${unknown[1]} (see --help)`;
  const missing = /Option '([^']+)' argument missing/.exec(message);
  if (missing) return `option ${missing[1] ?? ""} needs a value`;
  return message;
}

/** Help text lines for the options. */
export function describeOptions(specs: OptionSpecs): string {
  const rows = Object.entries(specs).map(([name, s]) => [`${s.short ? `-${s.short}, ` : "    "}--${name}${s.value ? (s.bareValue !== undefined ? `[=${s.value}]` : ` ${s.value}`) : ""}`, s.description] as const);
  const width = Math.max(...rows.map((r) => r[0].length));
  return rows.map(([flag, text]) => `  ${flag.padEnd(width)}  ${text}`).join("\n");
}

/** A whole number, or a UsageError that says what was wrong. */
export function parseInteger(raw: string | boolean | undefined, name: string, min = 0): number | undefined {
  if (raw === undefined) return undefined;
  if (typeof raw !== "string" || !/^-?\d+$/.test(raw.trim())) throw new UsageError(`--${name} must be a whole number, got "${String(raw)}"`);
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < min) throw new UsageError(`--${name} must be a whole number >= ${min}, got ${raw}`);
  return n;
}

/** Runs a command's body; a UsageError becomes a one-line message and exit status 2, anything else propagates. */
export async function withUsageErrors(body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`${pc.red("error:")} ${e.message}`);
      return 2;
    }
    throw e;
  }
}

/** Runs `main` with the process's arguments when `moduleUrl` is the script node was started with. */
export function runIfMain(moduleUrl: string, main: (argv: readonly string[], env: NodeJS.ProcessEnv) => Promise<number>): void {
  if (isMain(moduleUrl)) {
    main(process.argv.slice(2), process.env).then((code) => process.exit(code));
  }
}
