// Concurrent clients doing get, put and compare-and-set against the real cluster, recording every operation for the checker.

import { setTimeout as sleep } from "node:timers/promises";
import type { Rng } from "@course/sim";
import type { KvInput, KvOperation, KvOutput } from "../history.js";
import { cas, GatewayError, get, put } from "./gateway.js";

/** What one logical client does: all three kinds of operation, or only writes, or only reads. */
export type ClientRole = "mixed" | "writer" | "reader";

export interface WorkloadOptions {
  readonly roles: readonly ClientRole[];
  readonly keys: readonly string[];
  readonly rng: Rng;
  /** Milliseconds since the run's start. */
  readonly clock: () => number;
  /** How long a client waits for an answer before it counts the outcome as unknown. */
  readonly timeoutMs: number;
  /** A pause between one client's operations, drawn from [min, max] ms. */
  readonly pauseMs: readonly [number, number];
  /** Serializable reads (from the member's own copy) instead of etcd's default linearizable ones. */
  readonly serializableReads: boolean;
  /** The members a client of this role may send to, in the order it tries them; called before every operation. */
  readonly targets: (role: ClientRole) => readonly string[];
  readonly endpoint: (member: string) => string;
}

/** Something the narration may want to tell: an operation ended, with its member. */
export interface Completion {
  readonly op: KvOperation;
  readonly member: string;
  /** Why the client got no answer, when it got none. */
  readonly error?: string;
}

/**
 * Each client has one operation outstanding at a time. A client that gets no answer cannot know whether its write
 * happened: the operation goes into the history with an unknown outcome (return = Infinity) and the client goes on
 * under a new client number, since one client number may not have two operations open. A request the member
 * never received (connection refused) had no effect and is left out; so is a read without an answer.
 */
export class Workload {
  readonly history: KvOperation[] = [];
  /** Requests the member refused to connect, by kind (left out of the history). */
  unreached = 0;
  private nextId = 0;
  private nextClient = 0;
  private readonly stopper = new AbortController();
  private loops: Promise<void>[] = [];
  private listener: ((c: Completion) => void) | undefined;
  /** Operations sent and not yet answered, by id. */
  private readonly inFlight = new Map<number, Omit<KvOperation, "return" | "output">>();

  constructor(private readonly options: WorkloadOptions) {}

  onCompletion(listener: (c: Completion) => void): void {
    this.listener = listener;
  }

  start(): void {
    this.loops = this.options.roles.map((role, i) => this.client(role, this.options.rng.fork(`client-${i}`)));
  }

  /**
   * The history as it stands, for a check while the clients still work: a write still waiting for its answer may
   * already have taken effect (a read may have seen its value), so it is included with an unknown outcome.
   */
  historySoFar(): KvOperation[] {
    const waiting = [...this.inFlight.values()].filter((o) => o.input.op !== "get").map((o): KvOperation => ({ ...o, return: Infinity, output: { unknown: true } }));
    return [...this.history, ...waiting].sort((a, b) => a.id - b.id);
  }

  /** Stops every client; an operation still waiting is cut off and counted as unknown. */
  async stop(): Promise<void> {
    this.stopper.abort();
    await Promise.all(this.loops);
    this.history.sort((a, b) => a.id - b.id);
  }

  private nextInput(id: number, role: ClientRole, rng: Rng, seen: Map<string, string | null>): KvInput {
    const key = rng.pick(this.options.keys);
    const r = role === "reader" ? 0 : role === "writer" ? 0.4 + rng.next() * 0.6 : rng.next();
    const value = String(id); // the operation's own id: every written value is unique and names its writer
    if (r < 0.4) return { op: "get", key };
    if (r < 0.75) return { op: "put", key, value };
    return { op: "cas", key, expected: seen.has(key) ? (seen.get(key) as string | null) : null, value };
  }

  private async client(role: ClientRole, rng: Rng): Promise<void> {
    const o = this.options;
    let client = this.nextClient++;
    let preferred = 0;
    // The last value this client saw per key: a compare-and-set expects it, so some succeed and some are refused.
    const seen = new Map<string, string | null>();
    while (!this.stopper.signal.aborted) {
      const targets = o.targets(role);
      const member = targets[preferred % Math.max(1, targets.length)];
      if (member === undefined) {
        await pause(o.timeoutMs / 4, this.stopper.signal);
        continue;
      }
      const id = this.nextId++;
      const input = this.nextInput(id, role, rng, seen);
      const call = o.clock();
      this.inFlight.set(id, { id, client, call, input });
      const signal = AbortSignal.any([this.stopper.signal, AbortSignal.timeout(o.timeoutMs)]);
      let output: KvOutput;
      let error: string | undefined;
      try {
        output = await perform(o.endpoint(member), input, o.serializableReads, signal);
        if (input.op === "get") seen.set(input.key, output.value ?? null);
        else if (input.op === "put" || output.ok) seen.set(input.key, input.value);
      } catch (e) {
        if (!(e instanceof GatewayError)) throw e;
        error = e.message;
        preferred++; // try the next member next time
        if (e.outcome === "unreached") {
          this.unreached++;
          this.listener?.({ op: { id, client, call, return: o.clock(), input, output: { unknown: true } }, member, error });
          await pause(o.timeoutMs / 10, this.stopper.signal);
          continue;
        }
        output = { unknown: true };
      } finally {
        this.inFlight.delete(id);
      }
      const op: KvOperation = { id, client, call, return: output.unknown ? Infinity : o.clock(), input, output };
      // A read that got no answer tells nothing; an unanswered write may have happened and stays.
      if (!(output.unknown && input.op === "get")) this.history.push(op);
      if (output.unknown) client = this.nextClient++;
      this.listener?.({ op, member, ...(error === undefined ? {} : { error }) });
      await pause(rng.int(o.pauseMs[0], o.pauseMs[1]), this.stopper.signal);
    }
  }
}

async function perform(endpoint: string, input: KvInput, serializable: boolean, signal: AbortSignal): Promise<KvOutput> {
  switch (input.op) {
    case "get":
      return { value: await get(endpoint, input.key, { serializable }, signal) };
    case "put":
      await put(endpoint, input.key, input.value, signal);
      return { ok: true };
    case "cas":
      return { ok: await cas(endpoint, input.key, input.expected, input.value, signal) };
    case "append":
      throw new Error("etcd has no append; the lesson's clients do not send one");
  }
}

/** A pause that ends early, without an error, when the clients are stopped. */
async function pause(ms: number, signal: AbortSignal): Promise<void> {
  try {
    await sleep(ms, undefined, { signal });
  } catch {
    // stopped
  }
}
