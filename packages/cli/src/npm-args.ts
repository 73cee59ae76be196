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
export function parseNpmArgs(argv: readonly string[], specs: OptionSpecs, env: NodeJS.ProcessEnv, lifecycleEvent: string, maxPositionals: number): ParsedArgs {
  let parsed: { values: Record<string, string | boolean | undefined>; positionals: string[] };
  try {
    parsed = parseArgs({
      args: [...argv],
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
    throw new UsageError(`unexpected argument "${positionals[maxPositionals]}". Options go after --, for example: npm run ${lifecycleEvent} -- --seed 7`);
  }
  return { values, positionals };
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
  const rows = Object.entries(specs).map(([name, s]) => [`${s.short ? `-${s.short}, ` : "    "}--${name}${s.value ? ` ${s.value}` : ""}`, s.description] as const);
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
