// A three-member etcd cluster on loopback: starts, kills, pauses, continues and restarts members, and always cleans up.

import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, statSync } from "node:fs";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MEMBERS, type Timing } from "../schedule.js";
import { freePortBlock } from "./ports.js";

export interface Member {
  readonly name: string;
  readonly clientPort: number;
  readonly peerPort: number;
  readonly dataDir: string;
  readonly logFile: string;
}

export interface ClusterOptions {
  readonly bin: string;
  /** First port to try; the cluster takes six consecutive free ones from there. */
  readonly basePort: number;
  readonly timing: Timing;
  /** Where the cluster's directory is made (default: the system's temporary directory). */
  readonly tmpRoot?: string;
}

/** How long a member gets to exit after a signal before it is sent SIGKILL. */
const EXIT_GRACE_MS = 10_000;

/** The directory names start with this, so a leftover one is easy to recognize. */
export const DIR_PREFIX = "course-etcd-";

export class EtcdCluster {
  readonly members: readonly Member[];
  private readonly running = new Map<string, ChildProcess>();
  private readonly paused = new Set<string>();
  /** Members being stopped on purpose: their exit is not news. */
  private readonly stopping = new Set<string>();
  private destroyed: Promise<void> | undefined;
  private unexpected: ((member: string, code: number | null, signal: string | null) => void) | undefined;

  private constructor(
    readonly dir: string,
    readonly bin: string,
    readonly timing: Timing,
    ports: readonly number[],
  ) {
    this.members = MEMBERS.map((name, i) => ({
      name,
      clientPort: ports[2 * i] as number,
      peerPort: ports[2 * i + 1] as number,
      dataDir: join(dir, `${name}.etcd`),
      logFile: join(dir, `${name}.log`),
    }));
  }

  /** Picks free ports and makes the cluster's directory; starts nothing yet. */
  static async create(options: ClusterOptions): Promise<EtcdCluster> {
    const ports = await freePortBlock(options.basePort, 2 * MEMBERS.length);
    const dir = mkdtempSync(join(options.tmpRoot ?? tmpdir(), DIR_PREFIX));
    return new EtcdCluster(dir, options.bin, options.timing, ports);
  }

  member(name: string): Member {
    const m = this.members.find((x) => x.name === name);
    if (!m) throw new Error(`no member ${name}`);
    return m;
  }

  endpoint(name: string): string {
    return `http://127.0.0.1:${this.member(name).clientPort}`;
  }

  /** Called when a member exits without being told to (a crash at start-up, a port taken, a full disk). */
  onUnexpectedExit(listener: (member: string, code: number | null, signal: string | null) => void): void {
    this.unexpected = listener;
  }

  private args(m: Member): string[] {
    const peer = (x: Member) => `http://127.0.0.1:${x.peerPort}`;
    const client = `http://127.0.0.1:${m.clientPort}`;
    return [
      "--name", m.name,
      "--data-dir", m.dataDir,
      "--listen-client-urls", client,
      "--advertise-client-urls", client,
      "--listen-peer-urls", peer(m),
      "--initial-advertise-peer-urls", peer(m),
      "--initial-cluster", this.members.map((x) => `${x.name}=${peer(x)}`).join(","),
      // Ignored on a restart: a member with a data directory rejoins the cluster recorded there.
      "--initial-cluster-state", "new",
      // Unique per run, so members of two runs can never join each other by mistake.
      "--initial-cluster-token", `course-${this.dir.slice(-6)}`,
      "--heartbeat-interval", String(this.timing.heartbeatMs),
      "--election-timeout", String(this.timing.electionMs),
      "--logger", "zap",
      "--log-outputs", "stderr",
    ];
  }

  /** Starts a member (again, on its data directory if it has one). Returns its pid. */
  start(name: string): number {
    if (this.destroyed) throw new Error("the cluster has been shut down");
    if (this.running.has(name)) throw new Error(`${name} is already running`);
    const m = this.member(name);
    const log = openSync(m.logFile, "a");
    let child: ChildProcess;
    try {
      child = spawn(this.bin, this.args(m), { stdio: ["ignore", log, log] });
    } finally {
      closeSync(log);
    }
    if (child.pid === undefined) throw new Error(`could not start ${this.bin} for ${name}`);
    this.running.set(name, child);
    child.once("exit", (code, signal) => {
      if (this.running.get(name) === child) this.running.delete(name);
      this.paused.delete(name);
      const expected = this.stopping.delete(name) || this.destroyed !== undefined;
      if (!expected) this.unexpected?.(name, code, signal);
    });
    return child.pid;
  }

  startAll(): Map<string, number> {
    return new Map(this.members.map((m) => [m.name, this.start(m.name)]));
  }

  isRunning(name: string): boolean {
    return this.running.has(name);
  }

  pid(name: string): number | undefined {
    return this.running.get(name)?.pid;
  }

  /** SIGKILL: the process dies at once, with no chance to flush or say goodbye. Resolves when it has exited. */
  async kill(name: string): Promise<void> {
    await this.signalAndWait(name, "SIGKILL");
  }

  /** SIGSTOP: the process is frozen, sockets open but silent, until `resume`. */
  pause(name: string): void {
    const child = this.running.get(name);
    if (!child) throw new Error(`${name} is not running`);
    child.kill("SIGSTOP");
    this.paused.add(name);
  }

  resume(name: string): void {
    const child = this.running.get(name);
    if (!child) throw new Error(`${name} is not running`);
    child.kill("SIGCONT");
    this.paused.delete(name);
  }

  /** SIGTERM, the clean stop: etcd hands leadership over first if it leads. SIGKILL if it takes too long. */
  async stop(name: string): Promise<void> {
    await this.signalAndWait(name, "SIGTERM");
  }

  private async signalAndWait(name: string, signal: NodeJS.Signals): Promise<void> {
    const child = this.running.get(name);
    if (!child) throw new Error(`${name} is not running`);
    this.stopping.add(name);
    // A frozen process cannot act on SIGTERM: let it run again first.
    if (this.paused.has(name) && signal !== "SIGKILL") this.resume(name);
    child.kill(signal);
    if (!(await exited(child, EXIT_GRACE_MS))) {
      child.kill("SIGKILL");
      await exited(child, EXIT_GRACE_MS);
    }
  }

  /** How far a member's log has been written, to read only what comes after (see `logSince`). */
  logSize(name: string): number {
    try {
      return statSync(this.member(name).logFile).size;
    } catch {
      return 0;
    }
  }

  /** What a member wrote to its log after `offset`. */
  logSince(name: string, offset: number): string {
    try {
      return readFileSync(this.member(name).logFile).subarray(offset).toString("utf8");
    } catch {
      return "";
    }
  }

  /** The last lines a member wrote to its log, for error messages. */
  logTail(name: string, lines = 8): string {
    try {
      return readFileSync(this.member(name).logFile, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
    } catch {
      return "(no log)";
    }
  }

  /** Every process still running, by pid. */
  pids(): number[] {
    return [...this.running.values()].map((c) => c.pid as number);
  }

  /**
   * Kills every member this cluster started (SIGKILL, which also ends a paused one), waits until each has
   * exited, and removes the cluster's directory. Safe to call more than once and from a signal handler.
   */
  destroy(): Promise<void> {
    this.destroyed ??= (async () => {
      const children = [...this.running.values()];
      for (const c of children) c.kill("SIGKILL");
      await Promise.all(children.map((c) => exited(c, EXIT_GRACE_MS)));
      await rm(this.dir, { recursive: true, force: true, maxRetries: 5 });
    })();
    return this.destroyed;
  }

  /** The last resort, for the process's 'exit' event, where nothing can be awaited. */
  destroySync(): void {
    for (const c of this.running.values()) {
      try {
        c.kill("SIGKILL");
      } catch {
        // already gone
      }
    }
    rmSync(this.dir, { recursive: true, force: true, maxRetries: 5 });
  }
}

/** Resolves true once the child has exited, false if it is still running after `ms`. */
function exited(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}
