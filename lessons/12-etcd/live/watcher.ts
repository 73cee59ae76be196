// Polls every member's status API (leader, Raft term, Raft index) and keeps what each one reported, and when.

import { setTimeout as sleep } from "node:timers/promises";
import type { StatusSample } from "../run-trace.js";
import { status } from "./gateway.js";

export interface WatcherOptions {
  readonly members: readonly string[];
  readonly endpoint: (member: string) => string;
  /** Member ids (as etcd reports them) to names. */
  readonly names: ReadonlyMap<string, string>;
  /** Milliseconds since the run's start. */
  readonly clock: () => number;
  /** How often each member is asked. The failover times are measured to this resolution. */
  readonly pollMs: number;
}

/**
 * One polling loop per member, so a frozen member (SIGSTOP) delays nobody else's answers. A member that does not
 * answer within a few polling periods, or refuses the connection, is recorded as not answering.
 */
export class StatusWatcher {
  readonly samples: StatusSample[] = [];
  private readonly latest = new Map<string, StatusSample>();
  private readonly stopper = new AbortController();
  private loops: Promise<void>[] = [];
  private listeners: Array<(s: StatusSample) => void> = [];

  constructor(private readonly options: WatcherOptions) {}

  onSample(listener: (s: StatusSample) => void): void {
    this.listeners.push(listener);
  }

  start(): void {
    this.loops = this.options.members.map((m) => this.poll(m));
  }

  async stop(): Promise<void> {
    this.stopper.abort();
    await Promise.all(this.loops);
  }

  latestOf(member: string): StatusSample | undefined {
    return this.latest.get(member);
  }

  /** The leader as the answering members last reported it: the one named in the highest term. */
  leader(): { member: string; term: number } | undefined {
    let best: { member: string; term: number } | undefined;
    for (const s of this.latest.values()) {
      if (s.up && s.leader !== undefined && s.term !== undefined && (best === undefined || s.term > best.term)) best = { member: s.leader, term: s.term };
    }
    return best;
  }

  answering(): string[] {
    return this.options.members.filter((m) => this.latest.get(m)?.up === true);
  }

  /** Resolves true as soon as `condition` holds after a new sample, false after `timeoutMs` or when `signal` aborts. */
  waitFor(condition: () => boolean, timeoutMs: number, signal: AbortSignal): Promise<boolean> {
    if (condition()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (ok: boolean) => {
        clearTimeout(timer);
        this.listeners = this.listeners.filter((l) => l !== check);
        signal.removeEventListener("abort", aborted);
        resolve(ok);
      };
      const check = () => {
        if (condition()) done(true);
      };
      const aborted = () => done(false);
      const timer = setTimeout(() => done(false), timeoutMs);
      this.listeners.push(check);
      signal.addEventListener("abort", aborted, { once: true });
    });
  }

  private record(sample: StatusSample): void {
    this.samples.push(sample);
    this.latest.set(sample.member, sample);
    for (const l of [...this.listeners]) l(sample);
  }

  private async poll(member: string): Promise<void> {
    const { endpoint, names, clock, pollMs } = this.options;
    const wait = Math.max(4 * pollMs, 250);
    while (!this.stopper.signal.aborted) {
      const started = clock();
      try {
        const s = await status(endpoint(member), AbortSignal.any([this.stopper.signal, AbortSignal.timeout(wait)]));
        const leader = s.leaderId === undefined ? undefined : (names.get(s.leaderId) ?? s.leaderId);
        this.record({ t: clock(), member, up: true, term: s.term, index: s.index, ...(leader === undefined ? {} : { leader }) });
      } catch {
        if (this.stopper.signal.aborted) break;
        this.record({ t: clock(), member, up: false });
      }
      const left = pollMs - (clock() - started);
      if (left > 0) {
        try {
          await sleep(left, undefined, { signal: this.stopper.signal });
        } catch {
          break;
        }
      }
    }
  }
}
