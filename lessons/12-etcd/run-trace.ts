// The recorded real run (`npm run lesson 12 -- --trace FILE`): what the site's lesson 12 page draws. No Node APIs here.

import { kvModel, readRecordedHistory, recordHistory } from "@course/check";
import type { FaultRecord } from "./faults.js";
import type { KvOperation } from "./history.js";
import type { FaultSchedule, Timing } from "./schedule.js";

export const ETCD_RUN_FORMAT = "course-etcd-run";
export const ETCD_RUN_VERSION = 1;

/** What one member's status API said at one moment (ms from the start of the schedule). */
export interface StatusSample {
  readonly t: number;
  readonly member: string;
  /** False when it did not answer in time or refused the connection. */
  readonly up: boolean;
  /** The member it names as leader, if it knows one. */
  readonly leader?: string;
  readonly term?: number;
  /** Index of the last entry in its Raft log. */
  readonly index?: number;
}

/** A moment on the timeline: a fault, a member back, a line of narration. */
export interface RunEvent {
  readonly t: number;
  readonly kind: "fault" | "back" | "note";
  readonly member?: string;
  readonly text: string;
}

/** The checker's verdict, as the page shows it. */
export interface RunVerdict {
  readonly verdict: "ok" | "illegal" | "unknown";
  readonly text: string;
  /** For "illegal": the key whose operations have no valid order, the operations that cannot be placed, and why. */
  readonly key?: string;
  readonly unplaceable?: readonly number[];
  readonly longestPrefix?: readonly number[];
  /** The ids of the operations on that key, as the checker grouped them (its illegal partition). */
  readonly partitionIds?: readonly number[];
  readonly describe?: readonly string[];
}

export interface EtcdRun {
  readonly format: typeof ETCD_RUN_FORMAT;
  readonly version: typeof ETCD_RUN_VERSION;
  readonly seed: number;
  readonly variant?: string;
  readonly etcdVersion: string;
  readonly timing: Timing;
  readonly members: readonly string[];
  readonly schedule: FaultSchedule;
  /** How often each member's status was asked for (the resolution of the failover times). */
  readonly pollMs: number;
  /** From the first leader to the end of the clients' work. */
  readonly durationMs: number;
  readonly status: readonly StatusSample[];
  readonly events: readonly RunEvent[];
  readonly faults: readonly FaultRecord[];
  /** The same schedule in the simulator (virtual ms). */
  readonly simulated: readonly FaultRecord[];
  readonly history: readonly KvOperation[];
  readonly verdict: RunVerdict;
  /**
   * Liveness: how long after the last member hit was started again or continued every member answered and named
   * one leader (absent: not within the bound).
   */
  readonly recovery: { readonly boundMs: number; readonly afterMs?: number };
  /** Stale-read variant: pause rounds played before the checker caught a stale read (or all of them). */
  readonly rounds?: number;
}

/** The history is stored as the checker records histories: its model named, an unknown outcome's return as null. */
export function serializeEtcdRun(run: EtcdRun): string {
  return JSON.stringify({ ...run, history: recordHistory(kvModel, run.history) });
}

/** Reads a recorded run back; the history is validated as the checker would (a malformed one throws). */
export function parseEtcdRun(data: unknown): EtcdRun {
  const d = (typeof data === "string" ? JSON.parse(data) : data) as Partial<EtcdRun> & { history?: unknown };
  if (d?.format !== ETCD_RUN_FORMAT) throw new Error(`not a recorded etcd run (format ${JSON.stringify(d?.format)}, expected ${ETCD_RUN_FORMAT})`);
  if (d.version !== ETCD_RUN_VERSION) throw new Error(`recorded etcd run version ${String(d.version)}; this course reads version ${ETCD_RUN_VERSION}`);
  const { model, operations } = readRecordedHistory(d.history);
  if (model !== kvModel) throw new Error(`a recorded etcd run's history uses the kv model, not ${model.name}`);
  return { ...(d as EtcdRun), history: operations as KvOperation[] };
}

/**
 * Keeps what a chart needs from many samples: every change of answering, leader or term, and otherwise at most
 * one sample per member every `everyMs`.
 */
export function thinSamples(samples: readonly StatusSample[], everyMs: number): StatusSample[] {
  const last = new Map<string, StatusSample>();
  return samples.filter((s) => {
    const prev = last.get(s.member);
    const keep = prev === undefined || prev.up !== s.up || prev.leader !== s.leader || prev.term !== s.term || s.t - prev.t >= everyMs;
    if (keep) last.set(s.member, s);
    return keep;
  });
}
