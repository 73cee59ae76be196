// `npm run explore -- <protocol>`: bounded exhaustive search for an invariant violation (or, with --liveness, a stuck state).

import { readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import pc from "picocolors";
import { parseTrace, serializeTrace, type TraceEvent, type TraceFile } from "@course/sim";
import { describerFor, ExploreError, PROTOCOLS, replayOf, replayTrace, type ExploreOptions, type ExploreResult, type ProtocolName } from "@course/explore";
import { parseShard } from "@course/check";
import { findBug, plantedBugs } from "./explore-variants.js";
import { runPlanned, searchPlan, searchReport, searchTitle, type PlannedSearch, type SearchOutcome, type SearchReport } from "./explore-plan.js";
import { describeOptions, parseInteger, parseNpmArgs, runIfMain, UsageError, withUsageErrors, type OptionSpecs } from "./npm-args.js";

const OPTIONS: OptionSpecs = {
  variant: { type: "string", value: "NAME", description: "plant a known bug: a lesson's 'break it' variant, a planted bug or a grading mutant (see --list)" },
  list: { type: "boolean", description: "list the variants of the protocol and exit" },
  nodes: { type: "string", value: "N", description: "cluster size (default 3; 4 for 2pc: a coordinator and three participants)" },
  depth: { type: "string", value: "D", description: "longest path explored, in steps" },
  "max-states": { type: "string", value: "S", description: "stop after S distinct states" },
  drops: { type: "string", value: "N", description: "messages the network may lose on a path" },
  duplicates: { type: "string", value: "N", description: "messages the network may deliver twice on a path" },
  crashes: { type: "string", value: "N", description: "node crashes on a path (a crashed node may restart at any later step)" },
  timers: { type: "string", value: "N", description: "timer firings on a path (elections, heartbeats, retries)" },
  requests: { type: "string", value: "N", description: "client requests on a path, from the protocol's workload" },
  lifetime: { type: "string", value: "N", description: "a message not delivered within N steps is lost (0: no limit)" },
  bfs: { type: "boolean", description: "breadth-first search (the default): a counterexample is a shortest one" },
  dfs: { type: "boolean", description: "depth-first search" },
  "no-symmetry": { type: "boolean", description: "do not merge states that differ only by renaming interchangeable nodes" },
  "from-start": { type: "boolean", description: "search from the initial state even if the variant names a start of its own (or graded searches)" },
  from: { type: "string", value: "FILE", description: "start the search where the run in explorer trace FILE ends" },
  liveness: { type: "boolean", description: "also check that from every state a fault-free continuation reaches agreement" },
  within: { type: "string", value: "MS", description: "with --liveness: virtual ms a continuation gets (default 3000)" },
  seed: { type: "string", value: "N", description: "seed of the nodes' random numbers and of liveness continuations (default 1)" },
  shard: { type: "string", value: "I/N", description: "explore only the I-th of N pieces of the search (breadth-first; a CI matrix runs all N)" },
  json: { type: "boolean", description: "print the result as JSON (no progress lines)" },
  trace: { type: "string", value: "FILE", description: "where to write a counterexample (default explore-<protocol>[-<variant>].json)" },
  replay: { type: "string", value: "FILE", description: "run the counterexample in an explorer trace again and narrate it" },
  help: { type: "boolean", short: "h", description: "show this help" },
};

const USAGE = `usage: npm run explore -- <${PROTOCOLS.join("|")}> [options]

Explores every interleaving of the simulator's choices for a small cluster: which message arrives next, which
is lost or duplicated, when a timer fires, which node crashes and restarts, up to the bounds; every invariant of
@course/check runs in every state. Breadth-first by default, so a counterexample is a shortest one.

  npm run explore -- raft                              the reference Raft at its default bound
  npm run explore -- raft --variant naive-commit       Figure 8, found by search from a scripted start
  npm run explore -- 2pc --variant commit-on-three-yes --nodes 5
  npm run explore -- raft --list                       every variant of Raft
  npm run explore -- raft --crashes 1 --shard 3/8      the third of eight pieces of a bigger search
  npm run explore -- --replay explore-raft-naive-commit.json

Some variants need more than the protocol's default bound and name their own. naive-commit does not search from
the initial state (the path needs five timer firings, beyond any quick bound): a script first builds Figure 8's
state (c), where node 0 led term 1 and node 1 term 2, each keeping its no-op alone, and node 0 has just won
term 3; the search finds the rest. --from-start searches from the initial state instead.

A grading mutant (LESSON/EXERCISE/MUTANT) given with no bound flag first runs its exercise's graded searches, the
ones its exhaustive graded test runs: each from that test's scripted start, within its bounds. Then, if none found
anything, its targeted searches (packages/cli/src/explore-searches.ts: a start and a bound that reach a bug too
slow or too special for grading; explorer variants may have them too), then the protocol's default bound from the
initial state. Any bound flag, --from, --from-start or --shard runs only the one search asked for. The output says
which search found the bug; with --json, "searches" lists every search run (source, label, scripted steps, bounds,
states, what it found) and the other fields describe the last.

options:
${describeOptions(OPTIONS)}

Exit status: 0 when no violation was found within the bounds, 1 when one was or (--liveness) a state got stuck
(the trace file shows it), 2 for bad options.`;

export interface ExploreArgs {
  protocol?: ProtocolName;
  options: Omit<ExploreOptions, "protocol">;
  variant?: string;
  list: boolean;
  fromStart: boolean;
  from?: string;
  json: boolean;
  trace?: string;
  replay?: string;
  help: boolean;
}

export function parseExploreArgs(argv: readonly string[], env: NodeJS.ProcessEnv): ExploreArgs {
  const { values, positionals } = parseNpmArgs(argv, OPTIONS, env, "explore", 1);
  const args: ExploreArgs = { options: {}, list: values.list === true, fromStart: values["from-start"] === true, json: values.json === true, help: values.help === true };
  const protocol = positionals[0];
  if (protocol !== undefined) {
    if (!PROTOCOLS.includes(protocol as ProtocolName)) throw new UsageError(`"${protocol}" is not a protocol the explorer knows; use one of ${PROTOCOLS.join(", ")}`);
    args.protocol = protocol as ProtocolName;
  }
  if (values.bfs === true && values.dfs === true) throw new UsageError("choose --bfs or --dfs, not both");
  const o: Record<string, unknown> = {};
  const numbers: Array<[string, string, number]> = [
    ["nodes", "nodes", 2],
    ["depth", "depth", 1],
    ["max-states", "maxStates", 1],
    ["drops", "drops", 0],
    ["duplicates", "duplicates", 0],
    ["crashes", "crashes", 0],
    ["timers", "timers", 0],
    ["requests", "requests", 0],
    ["lifetime", "lifetime", 0],
    ["seed", "seed", 0],
  ];
  for (const [flag, key, min] of numbers) {
    const n = parseInteger(values[flag], flag, min);
    if (n !== undefined) o[key] = n;
  }
  if (values.dfs === true) o.strategy = "dfs";
  if (typeof values.shard === "string") {
    try {
      const { index, count } = parseShard(values.shard);
      o.shard = { index, count };
    } catch (e) {
      throw new UsageError(`--shard: ${(e as Error).message}`);
    }
    if (values.dfs === true) throw new UsageError("--shard splits a breadth-first search: drop --dfs");
  }
  if (values["no-symmetry"] === true) o.symmetry = false;
  const within = parseInteger(values.within, "within", 1);
  if (values.liveness === true) o.liveness = within === undefined ? true : { within };
  else if (within !== undefined) throw new UsageError("--within only applies with --liveness");
  args.options = o as ExploreArgs["options"];
  if (typeof values.variant === "string") args.variant = values.variant;
  if (typeof values.from === "string") args.from = values.from;
  if (typeof values.trace === "string") args.trace = values.trace;
  if (typeof values.replay === "string") args.replay = values.replay;
  if (args.from !== undefined && args.fromStart) throw new UsageError("--from and --from-start contradict each other");
  return args;
}

/** A step of a counterexample in a line: what the scheduler chose. */
function stepLine(e: TraceEvent): string | undefined {
  const term = (m: unknown) => {
    const t = (m as { term?: unknown }).term;
    return typeof t === "number" ? ` (term ${t})` : "";
  };
  switch (e.kind) {
    case "deliver":
      return `${e.msg.type}${term(e.msg)} arrives at ${e.to} from ${e.from}`;
    case "timer":
      return `node ${e.node}'s ${e.name} timer fires`;
    case "drop":
      return e.reason === "crashed" ? undefined : `the network loses ${e.msg.type}${term(e.msg)} from ${e.from} to ${e.to}`;
    case "duplicate":
      return `the network duplicates message #${e.msgId} from ${e.from} to ${e.to}`;
    case "crash":
      return `node ${e.node} crashes`;
    case "restart":
      return `node ${e.node} restarts from its disk`;
    case "client-request":
      return `a client sends ${JSON.stringify(e.request.op)} to node ${e.node}`;
    default:
      return undefined;
  }
}

/** The counterexample, a step per line, with the protocol's own narration of what each step sent. */
export function narrateRun(events: readonly TraceEvent[], protocol: ProtocolName, out: (line: string) => void): void {
  const describe = describerFor(protocol);
  for (const e of events) {
    if (e.kind === "note") out(e.style === "heading" ? `\n${pc.bold(pc.cyan(e.text))}` : pc.yellow(`         ${e.text}`));
    else if (e.kind === "violation") continue; // the summary after the run says it
    else {
      const step = stepLine(e);
      if (step !== undefined) out(`${pc.dim(`#${String(e.step).padStart(3)}`)}  ${step}`);
      else if (e.kind === "send") {
        const said = describe(e);
        if (said !== undefined) out(pc.dim(`        ${said}`));
      }
    }
  }
}

const rate = (n: number, ms: number) => (ms > 0 ? Math.round((n * 1000) / ms) : 0);

function summary(result: ExploreResult, ms: number): string[] {
  const b = result.bounds;
  const lines = [
    `${pc.bold(result.protocol)}${result.variant ? ` (variant ${result.variant})` : ""} on ${result.nodes.length} nodes, ${result.strategy.toUpperCase()}${result.symmetry ? ", symmetry reduction on" : ""}`,
    pc.dim(`  bounds: depth ${b.depth}, max ${b.maxStates} states, ${b.drops} drops, ${b.duplicates} duplicates, ${b.crashes} crashes, ${b.timers} timer firings, ${b.requests} requests${b.lifetime ? `, messages lost after ${b.lifetime} steps` : ""}`),
    `  states explored ${result.statesExplored}, distinct states ${result.distinctStates}, depth reached ${result.depthReached}`,
    `  ${(ms / 1000).toFixed(1)} s, ${rate(result.distinctStates, ms)} distinct states/s`,
    result.exhausted
      ? `  bound exhausted: every state within the bounds was explored${result.depthCut ? ` (${result.depthCut} states at the depth bound were not expanded)` : ""}`
      : result.violation || result.stuck
        ? "  stopped at the first violation"
        : pc.yellow(`  bound not exhausted: stopped at ${result.bounds.maxStates} distinct states (raise --max-states or lower the other bounds)`),
  ];
  if (result.shard !== undefined) {
    const { index, count, splitDepth } = result.shard;
    lines.push(
      splitDepth === undefined
        ? `  shard ${index}/${count}: no level had ${count} states, so this piece explored the whole (small) search`
        : `  shard ${index}/${count}: the pieces share the levels above depth ${splitDepth}; this one explored below one in ${count} of the states at that depth (numbers ${index}, ${index + count}, ${index + 2 * count}, ...)`,
    );
  }
  if (result.livenessChecked !== undefined) lines.push(`  liveness: ${result.livenessChecked} states checked for a fault-free continuation to agreement`);
  return lines;
}

function traceName(env: NodeJS.ProcessEnv, file: string): string {
  // npm runs scripts from the repository root; INIT_CWD is where the student typed the command.
  return resolve(env.INIT_CWD ?? process.cwd(), file);
}

async function replay(args: ExploreArgs, env: NodeJS.ProcessEnv, out: (line: string) => void): Promise<number> {
  const path = traceName(env, args.replay as string);
  let file: TraceFile;
  try {
    file = parseTrace(readFileSync(path, "utf8"));
  } catch (e) {
    throw new UsageError(`cannot read ${path}: ${(e as Error).message}`);
  }
  const record = replayOf(file);
  const bug = record.rulesLabel === undefined ? undefined : await findBug(record.protocol, record.rulesLabel);
  const { sim, threw, end } = replayTrace(file, bug?.rules);
  out(pc.bold(`Replaying ${file.scenario}: ${record.path.length} steps${record.continuation ? `, then a fault-free continuation of ${record.continuation.within} ms` : ""}`));
  narrateRun(sim.trace, record.protocol, out);
  if (sim.violation) out(pc.bold(pc.red(`\nVIOLATION ${sim.violation.checker}: ${sim.violation.message}`)));
  else if (threw) out(pc.bold(pc.red(`\nA node threw: ${threw}`)));
  else if (end?.kind === "stuck") out(pc.bold(pc.red("\nNo agreement: the fault-free continuation got stuck.")));
  else out(pc.green("\nThe run ends without a violation."));
  return sim.violation || threw || end?.kind === "stuck" ? 1 : 0;
}

export async function main(argv: readonly string[], env: NodeJS.ProcessEnv, out: (line: string) => void = console.log): Promise<number> {
  return withUsageErrors(async () => {
    const args = parseExploreArgs(argv, env);
    if (args.help) {
      out(USAGE);
      return 0;
    }
    if (args.replay !== undefined) return replay(args, env, out);
    if (args.protocol === undefined) throw new UsageError(`name a protocol: npm run explore -- <${PROTOCOLS.join("|")}> (see --help)`);
    const protocol = args.protocol;
    if (args.list) {
      out(pc.bold(`Variants of ${protocol} (npm run explore -- ${protocol} --variant NAME)`));
      for (const b of await plantedBugs(protocol)) out(`  ${pc.cyan(b.name)}\n      ${pc.dim(b.description)}`);
      return 0;
    }
    const bug = args.variant === undefined ? undefined : await findBug(protocol, args.variant);
    let from: ExploreOptions["from"];
    if (args.from !== undefined) {
      const file = parseTrace(readFileSync(traceName(env, args.from), "utf8"));
      from = replayOf(file).path;
    } else if (args.fromStart) from = [];
    const plan = searchPlan(protocol, bug, args.options, from);
    let started = performance.now();
    let lastReport = started;
    const progress = args.json
      ? undefined
      : (p: { statesExplored: number; distinctStates: number; depthReached: number; frontier: number }) => {
          const now = performance.now();
          if (now - lastReport < 2000) return;
          lastReport = now;
          process.stderr.write(pc.dim(`  ... ${p.distinctStates} distinct states, ${p.statesExplored} explored, depth ${p.depthReached}, ${p.frontier} waiting, ${rate(p.distinctStates, now - started)} states/s\n`));
        };
    if (plan.length > 1 && !args.json) out(pc.bold(`${args.variant}: ${presetWords(plan)} first (each from its scripted start), then the default bound from the initial state, until one finds it`));
    const ran: SearchReport[] = [];
    let last: { search: PlannedSearch; outcome: SearchOutcome; ms: number } | undefined;
    for (const [i, search] of plan.entries()) {
      if (plan.length > 1 && !args.json) out(`\n${pc.bold(`search ${i + 1} of ${plan.length}`)}: ${searchTitle(search)}`);
      started = performance.now();
      lastReport = started;
      let outcome: SearchOutcome;
      try {
        outcome = runPlanned(search, { progressEvery: 5000, ...(progress ? { onProgress: progress } : {}) });
      } catch (e) {
        if (e instanceof ExploreError) throw new UsageError(e.message);
        throw e;
      }
      const ms = performance.now() - started;
      last = { search, outcome, ms };
      ran.push(searchReport(search, outcome, ms));
      if (!args.json && outcome.result !== undefined) for (const line of summary(outcome.result, ms)) out(line);
      if (outcome.startFailed !== undefined || outcome.result.violation !== undefined || outcome.result.stuck !== undefined) break;
    }
    const { search, outcome, ms } = last as NonNullable<typeof last>;
    if (outcome.startFailed !== undefined) {
      if (args.json) out(JSON.stringify({ protocol, ...(args.variant === undefined ? {} : { variant: args.variant }), startFailed: outcome.startFailed, searches: ran }));
      else {
        out(pc.bold(pc.red(`\nTHE SCRIPTED START BROKE (${search.label}): ${outcome.startFailed}`)));
        out(`  the bug shows before the search begins${search.source === "graded" ? "; its graded exhaustive test fails the same way" : ""}`);
      }
      return 1;
    }
    const result = outcome.result;
    const found = result.violation ?? result.stuck;
    let written: string | undefined;
    if (found !== undefined) {
      written = traceName(env, args.trace ?? `explore-${protocol}${args.variant ? `-${args.variant.replace(/[^\w-]+/g, "-")}` : ""}.json`);
      writeFileSync(written, serializeTrace(found.trace));
    }
    const scripted = outcome.startSteps > 0 ? ` (the first ${outcome.startSteps} ${search.start === undefined ? "from --from" : "scripted"})` : "";
    if (args.json) {
      const { violation, stuck, ...rest } = result;
      const brief = (f: typeof found) => f && { ...("invariant" in f ? { invariant: f.invariant } : {}), message: f.message, depth: f.depth, trace: written };
      out(JSON.stringify({ ...rest, elapsedMs: Math.round(ms), distinctStatesPerSecond: rate(result.distinctStates, ms), ...(violation ? { violation: brief(violation) } : {}), ...(stuck ? { stuck: brief(stuck) } : {}), searches: ran }));
      return found ? 1 : 0;
    }
    const by = plan.length > 1 && found !== undefined ? `; found by search ${ran.length} of ${plan.length} (${search.label})` : "";
    if (result.violation) {
      out(pc.bold(pc.red(`\nVIOLATION ${result.violation.invariant}: ${result.violation.message}`)));
      out(`  found after ${result.violation.depth} steps${scripted}${by}; counterexample written to ${written}`);
    } else if (result.stuck) {
      out(pc.bold(pc.red(`\nSTUCK: ${result.stuck.message}`)));
      out(`  reached after ${result.stuck.depth} steps${scripted}${by}; the run and its continuation are written to ${written}`);
    } else out(pc.green(plan.length > 1 ? `\nNo violation within any of the ${plan.length} searches.` : "\nNo violation within the bounds."));
    if (written !== undefined) {
      out(pc.dim(`  replay it: npm run explore -- --replay ${args.trace ?? written}`));
      out(pc.dim("  or open it in the site's trace viewer"));
    }
    return found ? 1 : 0;
  });
}

/** "its exercise's graded searches", "its targeted searches" or both: what a plan runs before the default bound. */
function presetWords(plan: readonly PlannedSearch[]): string {
  const words = { graded: "its exercise's graded searches", targeted: "its targeted searches" };
  return (["graded", "targeted"] as const).filter((s) => plan.some((p) => p.source === s)).map((s) => words[s]).join(", then ");
}

runIfMain(import.meta.url, main);

