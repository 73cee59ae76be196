// The terminal timeline of a real run: what the cluster reports (left) beside what the clients saw (right).

import type { LiveIo } from "../../lesson.js";
import { outcomeCell, type FaultRecord } from "../faults.js";
import { describeStep, type FaultStep } from "../schedule.js";
import type { RunEvent, StatusSample } from "../run-trace.js";
import type { Completion } from "./workload.js";

const CLUSTER_WIDTH = 46;

export const seconds = (ms: number) => `${(ms / 1000).toFixed(2)}s`.padStart(7);

interface Tally {
  get: number;
  put: number;
  cas: number;
  refused: number;
  unknown: number;
  unreached: number;
}

const emptyTally = (): Tally => ({ get: 0, put: 0, cas: 0, refused: 0, unknown: 0, unreached: 0 });

/**
 * Prints a row whenever something happens to the cluster (a fault, a member going silent or coming back, a new
 * leader), and every `everyMs` a row with each member's status beside a tally of the clients' operations since
 * the row before.
 */
export class Narrator {
  private tally = emptyTally();
  private readonly up = new Map<string, boolean>();
  private announced: { member: string; term: number } | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly io: LiveIo,
    private readonly members: readonly string[],
    private readonly clock: () => number,
    private readonly latest: (member: string) => StatusSample | undefined,
    private readonly leader: () => { member: string; term: number } | undefined,
  ) {}

  private row(cluster: string, clients = ""): void {
    const line = `${seconds(this.clock())} | ${cluster.padEnd(CLUSTER_WIDTH)} | ${clients}`;
    this.io.out(line.trimEnd());
  }

  header(everyMs: number): void {
    this.io.out(`   time | ${"cluster, from each member's status API".padEnd(CLUSTER_WIDTH)} | clients, operations answered since the row before`);
    this.io.out(this.io.format.dim(`        | L leader, F follower, t term, # last Raft index, -- no answer; a status row every ${everyMs / 1000} s`));
    this.timer = setInterval(() => this.statusRow(), everyMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  event(e: RunEvent): void {
    const text = e.kind === "fault" ? this.io.format.bad(`>> ${e.text}`) : e.text;
    this.row(text);
  }

  sample(s: StatusSample): void {
    const was = this.up.get(s.member);
    this.up.set(s.member, s.up);
    if (was !== undefined && was !== s.up) this.row(s.up ? `${s.member} answers again (term ${s.term ?? "?"}, index ${s.index ?? "?"})` : `${s.member} does not answer`);
    const now = this.leader();
    if (now && (this.announced?.member !== now.member || this.announced.term !== now.term)) {
      this.announced = now;
      this.row(this.io.format.emphasis(`${now.member} leads term ${now.term}`));
    }
  }

  completion(c: Completion): void {
    const t = this.tally;
    if (c.error !== undefined && !c.op.output.unknown) return;
    if (c.op.output.unknown) {
      if (c.error === "connection refused") t.unreached++;
      else t.unknown++;
      return;
    }
    t[c.op.input.op === "append" ? "put" : c.op.input.op]++;
    if (c.op.input.op === "cas" && c.op.output.ok === false) t.refused++;
  }

  private statusRow(): void {
    const cluster = this.members
      .map((m) => {
        const s = this.latest(m);
        if (!s?.up) return `${m} --`;
        const role = s.leader === m ? "L" : "F";
        return `${m} ${role} t${s.term ?? "?"} #${s.index ?? "?"}`;
      })
      .join("  ");
    this.row(cluster, formatTally(this.tally));
    this.tally = emptyTally();
  }
}

export function formatTally(t: Tally): string {
  const answered = t.get + t.put + t.cas;
  const parts = [answered === 0 ? "nothing answered" : `${answered} answered (${t.get} get, ${t.put} put, ${t.cas} cas${t.refused ? `, ${t.refused} cas refused` : ""})`];
  if (t.unknown) parts.push(`${t.unknown} no answer`);
  if (t.unreached) parts.push(`${t.unreached} connection refused`);
  return parts.join(", ");
}

/** The schedule's faults, one row each: what the real cluster and the simulated one did. */
export function comparisonTable(steps: readonly FaultStep[], real: readonly FaultRecord[], simulated: readonly FaultRecord[]): string[] {
  const rows = steps.map((step, i) => [`${i + 1}. ${describeStep(step, true)}`, outcomeCell(real.find((f) => f.step === i)), outcomeCell(simulated.find((f) => f.step === i))]);
  const head = ["fault", "etcd (wall-clock time)", "simulator (virtual time)"];
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] as string).length)));
  return [head, ...rows].map((r) => r.map((cell, c) => cell.padEnd(widths[c] as number)).join("  ").trimEnd());
}
