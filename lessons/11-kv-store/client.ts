// A key-value client library for the lessons: finds the leader by following hints, numbers its commands, retries.

import type { NodeId, Simulation } from "@course/sim";
import type { ClientResult, RaftMessage } from "@course/raft";

export type KvOp = { readonly type: "put" | "append"; readonly key: string; readonly value: string } | { readonly type: "get"; readonly key: string };

/** One operation as the client meant it, with every attempt it took to get an answer. */
export interface KvCall {
  readonly client: string;
  readonly op: KvOp;
  /** The session number sent with a write (undefined for reads, or when the client keeps no session). */
  readonly seq: number | undefined;
  readonly requestIds: number[];
  readonly nodes: NodeId[];
  startedAt: number;
  finishedAt?: number;
  result?: ClientResult;
}

export interface KvClientOptions {
  /** Number writes so the servers' session table can drop a retry (§8). Off: every attempt is a new command. */
  readonly sessions?: boolean;
  /** How long the client waits for an answer before it tries again elsewhere (ms). */
  readonly timeout?: number;
  /** The node the client tries first. */
  readonly firstGuess?: NodeId;
}

interface Attempt {
  readonly call: KvCall;
  requestId: number | undefined;
  node: NodeId;
  /** When to give up on this attempt (no answer) or, after a refusal, when to send the next one. */
  wakeAt: number;
  /** When the last redirect was followed without waiting: a second one at the same instant waits, so two stale hints cannot ping-pong forever. */
  redirectedAt: number;
}

/** How long a client waits before asking again when no server could name a leader it trusts (ms). */
const RETRY_PAUSE = 50;

/** A client with a name and (optionally) a session: one command outstanding at a time, as §8 assumes. */
export class KvClient {
  readonly calls: KvCall[] = [];
  private nextSeq = 1;
  private guess: NodeId;
  private readonly sessions: boolean;
  readonly timeout: number;

  constructor(
    readonly name: string,
    private readonly nodes: readonly NodeId[],
    options: KvClientOptions = {},
  ) {
    this.sessions = options.sessions ?? true;
    this.timeout = options.timeout ?? 120;
    this.guess = options.firstGuess ?? (nodes[0] as NodeId);
  }

  begin(op: KvOp, now: number): KvCall {
    const seq = op.type !== "get" && this.sessions ? this.nextSeq++ : undefined;
    const call: KvCall = { client: this.name, op, seq, requestIds: [], nodes: [], startedAt: now };
    this.calls.push(call);
    return call;
  }

  /** Servers that let this client down without an answer, and when: it distrusts them for one timeout, or until a success. */
  private readonly suspects = new Map<NodeId, number>();

  trusts(node: NodeId, now: number): boolean {
    const since = this.suspects.get(node);
    return since === undefined || now - since >= this.timeout;
  }

  /** Where to send the next attempt: the leader a server named, unless that one failed us lately; else the next node. */
  target(hint: NodeId | null | undefined, failed: NodeId | undefined, now: number, timedOut = false): NodeId {
    if (timedOut && failed !== undefined) this.suspects.set(failed, now);
    if (hint !== null && hint !== undefined && hint !== failed && this.trusts(hint, now)) {
      this.guess = hint;
      return this.guess;
    }
    if (failed === undefined) return this.guess;
    let next = failed;
    for (let i = 0; i < this.nodes.length; i++) {
      next = this.nodes[(this.nodes.indexOf(next) + 1) % this.nodes.length] as NodeId;
      if (this.trusts(next, now)) break;
    }
    this.guess = next;
    return this.guess;
  }

  /** The request body the servers see: a write carries the session number, if any. */
  wire(call: KvCall): unknown {
    return call.seq === undefined ? call.op : { ...call.op, seq: call.seq };
  }

  /** An answer came from `node`: it leads, as far as this client knows, and every server deserves trust again. */
  remember(node: NodeId): void {
    this.guess = node;
    this.suspects.clear();
  }
}

/**
 * Runs operations of several clients at once (one each) until every one has an answer or `limit` ms pass.
 * Returns the calls. A refusal with a leader hint is retried at once at that leader; no answer within the
 * client's timeout, or "lost-leadership", is retried (with the same session number) at the next node.
 */
export function perform(sim: Simulation<RaftMessage>, work: ReadonlyArray<readonly [KvClient, KvOp | KvCall]>, limit = 3000): KvCall[] {
  const end = sim.now + limit;
  const attempts: Attempt[] = work.map(([client, what]) => {
    // An unfinished call is carried on, with the same session number: that is what makes it a retry.
    const call = "requestIds" in what ? what : client.begin(what, sim.now);
    // A carried-on call got no answer from the server it last tried: start with the next one.
    const node = client.target(undefined, call.nodes.at(-1), sim.now, call.nodes.length > 0);
    return { call, requestId: undefined, node, wakeAt: sim.now, redirectedAt: -1 };
  });
  const clientOf = new Map(work.map(([client], i) => [attempts[i] as Attempt, client]));
  const resultOf = (a: Attempt) => (a.requestId === undefined ? undefined : (sim.requestRecord(a.requestId)?.result as ClientResult | undefined));
  const open = () => attempts.filter((a) => a.call.finishedAt === undefined);
  while (open().length > 0 && sim.now < end && !sim.stopped) {
    for (const a of open()) {
      const client = clientOf.get(a) as KvClient;
      const result = resultOf(a);
      if (result?.ok) {
        a.call.finishedAt = sim.now;
        a.call.result = result;
        client.remember(a.node);
        continue;
      }
      if (result !== undefined && a.requestId !== undefined) {
        // Refused or lost: pick the next target now; go at once if a server named a leader, else pause a little.
        const named = !result.ok && result.error === "not-leader" && result.leaderHint != null && result.leaderHint !== a.node && client.trusts(result.leaderHint, sim.now) && a.redirectedAt !== sim.now;
        a.node = client.target(result.ok ? undefined : result.leaderHint, a.node, sim.now);
        a.requestId = undefined;
        a.wakeAt = named ? sim.now : sim.now + RETRY_PAUSE;
        if (named) a.redirectedAt = sim.now;
      } else if (a.requestId !== undefined && sim.now >= a.wakeAt) {
        a.node = client.target(undefined, a.node, sim.now, true); // no answer in time: suspect that server, try the next one
        a.requestId = undefined;
        a.wakeAt = sim.now;
      }
      if (a.requestId === undefined && sim.now >= a.wakeAt) {
        a.requestId = sim.request(a.node, client.wire(a.call), client.name);
        a.call.requestIds.push(a.requestId);
        a.call.nodes.push(a.node);
        a.wakeAt = sim.now + client.timeout;
      }
    }
    const live = open();
    if (live.length === 0) break;
    const wake = Math.min(end, ...live.map((a) => a.wakeAt));
    sim.runUntil(() => live.some((a) => resultOf(a) !== undefined), { timeout: Math.max(0, wake - sim.now) });
  }
  return attempts.map((a) => a.call);
}

/** Sends one attempt of a call to a given server now, outside `perform` (to script exactly where it goes). */
export function attempt(sim: Simulation<RaftMessage>, client: KvClient, call: KvCall, node: NodeId): number {
  const id = sim.request(node, client.wire(call), client.name);
  call.requestIds.push(id);
  call.nodes.push(node);
  return id;
}

/** "put x=1", "append 'pear;' to cart", "get cart": how an operation reads in narration. */
export function formatOp(op: KvOp): string {
  if (op.type === "get") return `get ${op.key}`;
  return op.type === "put" ? `put ${op.key}=${op.value}` : `append '${op.value}' to ${op.key}`;
}

/** What the client finally got, in words. */
export function formatOutcome(call: KvCall): string {
  const r = call.result;
  if (r === undefined) return "no answer";
  if (!r.ok) return r.error;
  return call.op.type === "get" ? `'${r.value ?? "(absent)"}'` : `ok at index ${r.index ?? "?"}`;
}
