// The player's "what happened" lines: worked out once per run, in order, as far as the reader has got, then looked up by step.

import type { NodeId, TraceEvent } from "@course/sim";
import { countThroughStep } from "./model.js";
import { nodeName } from "./palette.js";
import { role, term } from "./views.js";

export interface NarrationLine {
  readonly step: number;
  readonly time: number;
  readonly text: string;
  /** heading, plain, fault, violation or reader (something the reader did). */
  readonly cls: string;
}

function networkText(e: TraceEvent): string | undefined {
  if (e.kind === "cut") return `The link ${nodeName(e.from)}→${nodeName(e.to)} is cut.`;
  if (e.kind === "heal") return e.from === undefined ? "Every link works again." : `The link ${nodeName(e.from)}→${nodeName(e.to as NodeId)} works again.`;
  if (e.kind === "partition") return `The network splits: ${e.groups.map((g) => `{${g.map(nodeName).join(" ")}}`).join(" | ")}.`;
  if (e.kind === "isolate") return `${nodeName(e.node)} is cut off from everyone.`;
  return undefined;
}

const FAULT_TEXT: Record<string, string> = { crash: "crashes", restart: "restarts from its disk", pause: "pauses", resume: "resumes" };

/**
 * Narration for one run. A scenario's `describe` is stateful (it remembers what it has said), so it is called
 * exactly once per event, in trace order, and only as far as someone has asked: a seed change stays cheap.
 */
export class Narration {
  private readonly lines: NarrationLine[] = [];
  private readonly sendLines = new Map<number, string>();
  private done = 0;
  private readonly roles = new Map<NodeId, string | undefined>();

  constructor(
    private readonly events: readonly TraceEvent[],
    private readonly describe: ((e: TraceEvent) => string | undefined) | undefined,
    /** Lines for events the reader's own actions made, by trace position; "" hides an event (a cut that only served a drop). */
    private readonly made: ReadonlyMap<number, string> = new Map(),
  ) {}

  private extend(step: number): void {
    const events = this.events;
    while (this.done < events.length && (events[this.done] as TraceEvent).step <= step) {
      const i = this.done++;
      const e = events[i] as TraceEvent;
      const mine = this.made.get(i);
      let said: string | undefined;
      if (e.kind !== "note" && this.describe) {
        try {
          said = this.describe(e);
        } catch {
          said = undefined;
        }
      }
      if (mine !== undefined) {
        if (mine) this.push(e, mine, "reader");
        continue;
      }
      if (e.kind === "send" && said) this.sendLines.set(e.msgId, said);
      const line = this.lineFor(e, said);
      if (line) this.push(e, line[0], line[1]);
    }
  }

  private push(e: TraceEvent, text: string, cls: string): void {
    this.lines.push({ step: e.step, time: e.time, text, cls });
  }

  private lineFor(e: TraceEvent, said: string | undefined): [string, string] | undefined {
    switch (e.kind) {
      case "note":
        // The scenario's closing result line is replaced by the player's own outcome sentence.
        if (e.style === "result") return undefined;
        return [e.node === undefined ? e.text : `${nodeName(e.node)}: ${e.text}`, e.style ?? "plain"];
      case "violation":
        return [`✗ Invariant broken (${e.checker}): ${e.message}`, "violation"];
      case "crash":
      case "restart":
      case "pause":
      case "resume":
        return [said ?? `${nodeName(e.node)} ${FAULT_TEXT[e.kind]}.`, "fault"];
      case "cut":
      case "heal":
      case "partition":
      case "isolate":
        return [said ?? (networkText(e) as string), "fault"];
      default:
        break;
    }
    if (said) return [said, "plain"];
    if (this.describe || e.kind !== "state") return undefined;
    // Without the scenario's own narration, role changes are the story worth telling.
    const r = role(e.view);
    const before = this.roles.get(e.node);
    const known = this.roles.has(e.node);
    this.roles.set(e.node, r);
    if (r === before || (!known && (r === "follower" || r === "acceptor"))) return undefined;
    const t = term(e.view);
    return [`${nodeName(e.node)} is ${r ?? "?"}${t === undefined ? "" : ` in term ${t}`}.`, r === "leader" ? "heading" : "plain"];
  }

  /** Narrate ahead by up to `events` more events (the player does this while idle, so a far seek is cheap). True when done. */
  prepare(events: number): boolean {
    const target = Math.min(this.events.length, this.done + events);
    if (target > this.done) this.extend((this.events[target - 1] as TraceEvent).step);
    return this.done >= this.events.length;
  }

  /** The last `count` lines up to and including `step`. */
  latest(step: number, count: number): NarrationLine[] {
    this.extend(step);
    const n = countThroughStep(this.lines, step);
    return this.lines.slice(Math.max(0, n - count), n);
  }

  /** What the scenario said about sending message `msgId` (narrating the run that far if needed). */
  sendLine(msgId: number, sendStep: number): string | undefined {
    this.extend(sendStep);
    return this.sendLines.get(msgId);
  }
}
