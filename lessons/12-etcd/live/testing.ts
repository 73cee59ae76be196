// Helpers for the tests that run real etcd processes: run the lesson, find what it started, check that it is gone.

import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { LiveIo } from "../../lesson.js";
import { findEtcd } from "./etcd-binary.js";

export const REPO = fileURLToPath(new URL("../../../", import.meta.url));
export const LESSON_CLI = fileURLToPath(new URL("../../../packages/cli/src/lesson.ts", import.meta.url));

/** The tests run etcd for real; COURSE_SKIP_ETCD=1 skips them on a machine without it (CI installs it). */
export const SKIP_ETCD = process.env.COURSE_SKIP_ETCD === "1";
if (!SKIP_ETCD && findEtcd(process.env) === undefined) {
  throw new Error("these tests run a real etcd cluster: install etcd (apt-get install etcd-server), or set COURSE_SKIP_ETCD=1 to skip them");
}

/** Fast clocks for the tests: the same story as etcd's defaults in half the time. */
export const FAST = { heartbeat: 50, "election-timeout": 500 } as const;

export const plainIo = (lines: string[]): LiveIo => ({
  out: (line) => lines.push(...line.split("\n")),
  format: { emphasis: (s) => s, dim: (s) => s, good: (s) => s, bad: (s) => s },
});

/** What a run printed about the processes it started: their pids and the directory. */
export function startedFrom(lines: readonly string[]): { pids: number[]; dir: string | undefined } {
  const pids = lines.flatMap((l) => {
    const m = /^started m\d: pid (\d+)/.exec(l.trim());
    return m ? [Number(m[1])] : [];
  });
  const dir = lines.map((l) => /data directories and logs in (\S+)/.exec(l)?.[1]).find((d) => d !== undefined);
  return { pids, dir };
}

/** Whether the process exists and is not a zombie (dead, waiting for a parent to collect its exit status). */
export function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
}

/** Any process whose command line mentions `text` (for instance the run's directory), by pid. */
export function processesMentioning(text: string): number[] {
  return readdirSync("/proc")
    .filter((d) => /^\d+$/.test(d))
    .filter((d) => {
      try {
        return readFileSync(`/proc/${d}/cmdline`, "utf8").includes(text);
      } catch {
        return false;
      }
    })
    .map(Number);
}

/** Asserts nothing of a run is left: its processes, anything running from its directory, the directory itself. */
export function leftovers(started: { pids: number[]; dir: string | undefined }): string[] {
  const left: string[] = [];
  for (const pid of started.pids) if (alive(pid)) left.push(`pid ${pid} still runs`);
  if (started.dir !== undefined) {
    for (const pid of processesMentioning(started.dir)) left.push(`pid ${pid} runs from ${started.dir}`);
    if (existsSync(started.dir)) left.push(`${started.dir} still exists`);
  }
  return left;
}

/** `npm run lesson 12 ...` as a student runs it (tsx, then node), with its output collected line by line. */
export function spawnLesson(args: readonly string[], env: NodeJS.ProcessEnv = process.env, viaTsxCli = false): { child: ChildProcess; lines: string[]; exited: Promise<{ code: number | null; signal: string | null }> } {
  const command = viaTsxCli ? fileURLToPath(new URL("../../../node_modules/.bin/tsx", import.meta.url)) : process.execPath;
  const argv = viaTsxCli ? [LESSON_CLI, "12", ...args] : ["--import", "tsx", LESSON_CLI, "12", ...args];
  const child = spawn(command, argv, { cwd: REPO, env: { ...env, FORCE_COLOR: "0", NO_COLOR: "1" }, stdio: ["ignore", "pipe", "pipe"] });
  const lines: string[] = [];
  let partial = "";
  const collect = (chunk: Buffer) => {
    const text = partial + chunk.toString("utf8");
    const parts = text.split("\n");
    partial = parts.pop() ?? "";
    lines.push(...parts);
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
    child.once("close", (code, signal) => {
      if (partial) lines.push(partial);
      resolve({ code, signal });
    }),
  );
  return { child, lines, exited };
}

/** Resolves once a line matching `pattern` has been printed (or rejects after `ms`). */
export async function waitForLine(lines: readonly string[], pattern: RegExp, ms: number): Promise<string> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const hit = lines.find((l) => pattern.test(l));
    if (hit !== undefined) return hit;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no line matching ${pattern} within ${ms} ms; output so far:\n${lines.join("\n")}`);
}
