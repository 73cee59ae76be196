// `npm run check-log -- FILE...`: reads Jepsen register logs or EDN key-value logs (Porcupine's format) and checks each client history for linearizability.

import { readFileSync } from "node:fs";
import pc from "picocolors";
import { casRegisterModel, checkLinearizable, HistoryError, kvModel, parseEdnKvLog, parseJepsenRegisterLog, type AnyModel, type Operation } from "@course/check";
import { describeOptions, parseInteger, parseNpmArgs, runIfMain, UsageError, withUsageErrors, type OptionSpecs } from "./npm-args.js";

const FORMATS = ["jepsen", "kv"] as const;
type Format = (typeof FORMATS)[number];
const DEFAULT_TIME_LIMIT_S = 60;

const OPTIONS: OptionSpecs = {
  format: { type: "string", value: "FORMAT", choices: FORMATS, description: 'jepsen (a Jepsen register log) or kv (EDN maps, one per line); default: told from the first operation line' },
  "time-limit": { type: "string", value: "S", description: `seconds per file before the answer is "unknown" (default ${DEFAULT_TIME_LIMIT_S})` },
  help: { type: "boolean", short: "h", description: "show this help" },
};

const HELP = `usage: npm run check-log -- FILE... [options]

Checks each log's client history for linearizability with the course's checker.
  jepsen: lines "INFO jepsen.util - PROCESS :invoke|:ok|:fail|:info :read|:write|:cas VALUE" of one register
  kv:     lines {:process P, :type :invoke|:ok|:fail|:info, :f :get|:put|:append, :key "K", :value nil|"V"}
Exit status: 0 every file linearizable, 1 one is not, 3 one is undecided within the time limit, 2 bad input.

${describeOptions(OPTIONS)}`;

const READERS: Record<Format, { model: AnyModel; parse: (text: string) => Operation<unknown, unknown>[] }> = {
  jepsen: { model: casRegisterModel as AnyModel, parse: parseJepsenRegisterLog as (text: string) => Operation<unknown, unknown>[] },
  kv: { model: kvModel as AnyModel, parse: parseEdnKvLog as (text: string) => Operation<unknown, unknown>[] },
};

/** The format of a log from its first operation line, or undefined when no line looks like either. */
export function guessFormat(text: string): Format | undefined {
  for (const line of text.split("\n")) {
    if (/\bjepsen\.util\s+-\s+\d+\s+:/.test(line)) return "jepsen";
    if (line.trim().startsWith("{:process")) return "kv";
  }
  return undefined;
}

/** Checks one file; returns its exit status (0 ok, 1 illegal, 3 unknown). Malformed input throws a UsageError naming the file and line. */
function checkFile(file: string, forced: Format | undefined, timeLimitS: number): number {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new UsageError(`cannot read ${file}: ${(e as Error).message}`);
  }
  const format = forced ?? guessFormat(text);
  if (format === undefined) throw new UsageError(`${file}: no Jepsen register line or EDN key-value map found; give --format jepsen or --format kv`);
  const { model, parse } = READERS[format];
  let history: Operation<unknown, unknown>[];
  try {
    history = parse(text);
  } catch (e) {
    if (e instanceof HistoryError) throw new UsageError(`${file}: ${e.message}`);
    throw e;
  }
  const start = performance.now();
  const result = checkLinearizable(model, history, { timeLimitMs: timeLimitS * 1000, clock: () => performance.now() });
  const seconds = ((performance.now() - start) / 1000).toFixed(2);
  const explored = result.partitions.reduce((sum, p) => sum + p.explored, 0);
  const facts = `${history.length} operations, ${format} log, ${explored} states explored, ${seconds} s`;
  if (result.verdict === "ok") {
    console.log(`${pc.green("linearizable")}  ${file} (${facts})`);
    return 0;
  }
  if (result.verdict === "unknown") {
    console.log(`${pc.yellow("unknown")}  ${file}: stopped by the ${result.stoppedBy === "time" ? `${timeLimitS} s time limit` : "limit on explored states"} (${facts})`);
    return 3;
  }
  console.log(`${pc.red("not linearizable")}  ${file} (${facts})`);
  for (const line of result.explanation?.describe ?? []) console.log(`  ${line}`);
  return 1;
}

export async function main(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  return withUsageErrors(async () => {
    const { values, positionals } = parseNpmArgs(argv, OPTIONS, env, "check-log", Infinity);
    if (values.help) {
      console.log(HELP);
      return 0;
    }
    if (positionals.length === 0) throw new UsageError("give at least one log file (see --help)");
    const timeLimitS = parseInteger(values["time-limit"], "time-limit", 1) ?? DEFAULT_TIME_LIMIT_S;
    const statuses = positionals.map((file) => checkFile(file, values.format as Format | undefined, timeLimitS));
    // A violation found anywhere outranks a file left undecided.
    return statuses.includes(1) ? 1 : statuses.includes(3) ? 3 : 0;
  });
}

runIfMain(import.meta.url, main);
