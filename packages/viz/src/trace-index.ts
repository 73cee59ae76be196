// Facts about a whole trace worked out once (messages with their fates, role changes, down periods), so drawing a frame only looks them up.

import * as d3 from "d3";
import type { Message, NodeId, TraceEvent } from "@course/sim";
import { role } from "./views.js";

/** One message as the charts draw it: when and where it went, and what became of it. */
export interface MessageRecord {
  readonly id: number;
  readonly from: NodeId;
  readonly to: NodeId;
  readonly msg: Message;
  readonly type: string;
  readonly sentAt: number;
  readonly sendStep: number;
  /** When the network planned to deliver it. */
  readonly deliverAt: number;
  /** A copy made by the network (the `duplicate` event), and the message it copies. */
  readonly copyOf: number | undefined;
  /** Filled in when the trace delivers or drops it; undefined while it is still in flight at the trace's end. */
  endAt: number | undefined;
  endStep: number | undefined;
  fate: "delivered" | "dropped" | undefined;
  dropReason: string | undefined;
}

export interface RoleChange {
  readonly node: NodeId;
  readonly role: string;
  readonly time: number;
  readonly step: number;
}

export interface DownSpan {
  readonly node: NodeId;
  readonly kind: "crashed" | "paused";
  readonly from: number;
  readonly fromStep: number;
  to: number | undefined;
  toStep: number | undefined;
}

export class TraceIndex {
  /** Network messages (a node's messages to itself left out), in order of sending. */
  readonly messages: MessageRecord[] = [];
  readonly byId = new Map<number, MessageRecord>();
  readonly roleChanges: RoleChange[] = [];
  readonly downSpans: DownSpan[] = [];
  /** Message types in order of first use, for the legend. */
  readonly types: string[] = [];
  readonly endTime: number;
  readonly lastStep: number;

  constructor(readonly events: readonly TraceEvent[]) {
    const lastRole = new Map<NodeId, string | undefined>();
    const open = new Map<string, DownSpan>();
    const typeSeen = new Set<string>();
    for (const e of events) {
      switch (e.kind) {
        case "send": {
          if (e.from === e.to) break;
          const m: MessageRecord = { id: e.msgId, from: e.from, to: e.to, msg: e.msg, type: e.msg.type, sentAt: e.time, sendStep: e.step, deliverAt: e.deliverAt, copyOf: undefined, endAt: undefined, endStep: undefined, fate: undefined, dropReason: undefined };
          this.messages.push(m);
          this.byId.set(m.id, m);
          if (!typeSeen.has(m.type)) {
            typeSeen.add(m.type);
            this.types.push(m.type);
          }
          break;
        }
        case "duplicate": {
          const orig = this.byId.get(e.msgId);
          if (!orig) break;
          const m: MessageRecord = { ...orig, id: e.copyId, deliverAt: e.deliverAt, copyOf: orig.id, endAt: undefined, endStep: undefined, fate: undefined, dropReason: undefined };
          this.messages.push(m);
          this.byId.set(m.id, m);
          break;
        }
        case "deliver":
        case "drop": {
          const m = this.byId.get(e.msgId);
          if (!m) break;
          m.endAt = e.time;
          m.endStep = e.step;
          m.fate = e.kind === "deliver" ? "delivered" : "dropped";
          if (e.kind === "drop") m.dropReason = e.reason;
          break;
        }
        case "state": {
          const r = role(e.view);
          if (r !== undefined && r !== lastRole.get(e.node)) this.roleChanges.push({ node: e.node, role: r, time: e.time, step: e.step });
          lastRole.set(e.node, r);
          break;
        }
        case "crash":
        case "restart":
        case "pause":
        case "resume": {
          const close = (key: string) => {
            const span = open.get(key);
            if (span) {
              span.to = e.time;
              span.toStep = e.step;
              open.delete(key);
            }
          };
          if (e.kind === "crash") {
            close(`p${e.node}`);
            if (!open.has(`c${e.node}`)) this.addSpan(open, `c${e.node}`, { node: e.node, kind: "crashed", from: e.time, fromStep: e.step, to: undefined, toStep: undefined });
            lastRole.delete(e.node);
          } else if (e.kind === "restart") close(`c${e.node}`);
          else if (e.kind === "pause" && !open.has(`p${e.node}`)) this.addSpan(open, `p${e.node}`, { node: e.node, kind: "paused", from: e.time, fromStep: e.step, to: undefined, toStep: undefined });
          else if (e.kind === "resume") close(`p${e.node}`);
          break;
        }
        default:
          break;
      }
    }
    const last = events[events.length - 1];
    this.endTime = last?.time ?? 0;
    this.lastStep = last?.step ?? 0;
  }

  private addSpan(open: Map<string, DownSpan>, key: string, span: DownSpan): void {
    open.set(key, span);
    this.downSpans.push(span);
  }

  /** Index (in `messages`) just past the last message sent at or before `step`. */
  sentThrough(step: number): number {
    return this.sendBisect.right(this.messages, step);
  }

  private readonly sendBisect = d3.bisector((m: MessageRecord) => m.sendStep);

  /** What had become of a message by `step`: in flight, delivered or dropped (as far as the trace says). */
  fateAt(m: MessageRecord, step: number): "in-flight" | "delivered" | "dropped" | "unsent" {
    if (m.sendStep > step) return "unsent";
    if (m.endStep === undefined || m.endStep > step) return "in-flight";
    return m.fate as "delivered" | "dropped";
  }

  /** Typical time a message spends on the wire (median over delivered messages), for pacing playback. */
  typicalLatency(): number {
    const spans = this.messages.filter((m) => m.fate === "delivered" && m.endAt !== undefined).map((m) => (m.endAt as number) - m.sentAt).filter((d) => d > 0).sort((a, b) => a - b);
    return spans.length === 0 ? 5 : (spans[Math.floor(spans.length / 2)] as number);
  }
}
