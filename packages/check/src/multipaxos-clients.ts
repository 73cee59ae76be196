// Clients of a randomized Multi-Paxos run: each numbers its commands, waits for every answer, and retries elsewhere.

import type { NodeId, RequestRecord, Rng, Simulation } from "@course/sim";
import type { MultiPaxosMessage, MultiPaxosRequest } from "@course/paxos";

export interface ClientScript {
  readonly client: string;
  /** The commands, sent one at a time in this order, numbered 1, 2, 3... */
  readonly ops: readonly string[];
  /** When the first command is sent (virtual ms). */
  readonly start: number;
}

export interface ClientTiming {
  /** A command still unanswered after this long (ms) is sent again, with the same number, to a replica picked at random. */
  readonly retryAfter: number;
  /** After an answer, the client waits a random time up to this long (ms) before it sends its next command. */
  readonly maxThink: number;
}

interface ClientState {
  readonly script: ClientScript;
  /** Index of the command in progress (or next to send); ops.length when the client is done. */
  next: number;
  /** When the client sends next: its next command, or a retry of the unanswered one. */
  sendAt: number;
  /** The requests sent so far for the command in progress: an answer to any of them answers the command. */
  copies: RequestRecord[];
}

/**
 * Drives a simulation on behalf of clients that behave as sessions require: a client has one command outstanding,
 * resends it unchanged until some replica answers, and only then sends the next. Crashes and lost messages mean a
 * command may reach the replicas several times; the replicas must still execute it once.
 */
export class RetryingMultiPaxosClients {
  private readonly clients: ClientState[];

  constructor(
    private readonly sim: Simulation<MultiPaxosMessage>,
    private readonly nodes: readonly NodeId[],
    scripts: readonly ClientScript[],
    private readonly rng: Rng,
    private readonly timing: ClientTiming,
  ) {
    this.clients = scripts.map((script) => ({ script, next: 0, sendAt: script.start, copies: [] }));
  }

  /** Client commands in the scripts. */
  get commands(): number {
    return this.clients.reduce((n, c) => n + c.script.ops.length, 0);
  }

  /** Commands answered so far. */
  get answered(): number {
    return this.clients.reduce((n, c) => n + c.next + (this.hasAnswer(c) ? 1 : 0), 0);
  }

  /** True once every client has had an answer to every command. */
  get finished(): boolean {
    return this.clients.every((c) => c.next >= c.script.ops.length || (c.next === c.script.ops.length - 1 && this.hasAnswer(c)));
  }

  /** The commands still waiting for an answer, as "alice #2 'c3' (sent 3 times)". */
  unanswered(): string[] {
    return this.clients
      .filter((c) => c.next < c.script.ops.length && !this.hasAnswer(c))
      .map((c) => `${c.script.client} #${c.next + 1} '${c.script.ops[c.next]}' (sent ${c.copies.length} time${c.copies.length === 1 ? "" : "s"})`);
  }

  /**
   * Run the simulation until virtual time `deadline`, or until `done` holds (checked before every step), sending
   * and resending commands as answers come or do not. Returns whether `done` held.
   */
  run(deadline: number, done: () => boolean = () => false): boolean {
    const sim = this.sim;
    for (;;) {
      this.act();
      if (done()) return true;
      if (sim.stopped || sim.now >= deadline) return false;
      const wake = Math.min(deadline, this.nextAction());
      const stop = sim.runUntil(() => this.clients.some((c) => this.hasAnswer(c)) || done(), { timeout: wake - sim.now });
      // With nothing left in the event queue the clock stands still: move it to the wake-up time.
      if (!stop && !sim.stopped && sim.now < wake) sim.runUntilTime(wake);
    }
  }

  private hasAnswer(c: ClientState): boolean {
    return c.copies.some((r) => r.replyAt !== undefined);
  }

  /** Move on past answered commands and send whatever is due now. */
  private act(): void {
    const now = this.sim.now;
    for (const c of this.clients) {
      if (c.next >= c.script.ops.length) continue;
      if (this.hasAnswer(c)) {
        c.next++;
        c.copies = [];
        c.sendAt = now + this.rng.uniform(0, this.timing.maxThink);
      }
      if (c.next >= c.script.ops.length || now < c.sendAt) continue;
      const request: MultiPaxosRequest = { op: c.script.ops[c.next] as string, seq: c.next + 1 };
      const id = this.sim.request(this.rng.pick(this.nodes), request, c.script.client);
      c.copies.push(this.sim.requests.find((r) => r.request.id === id) as RequestRecord);
      c.sendAt = now + this.timing.retryAfter;
    }
  }

  private nextAction(): number {
    return Math.min(...this.clients.filter((c) => c.next < c.script.ops.length).map((c) => c.sendAt), Number.POSITIVE_INFINITY);
  }
}
