// The inspector: a panel for the server or message a reader clicked or tapped, with its state in words and what they can do to it.

import type { NodeId } from "@course/sim";
import type { ReaderAction } from "./fork.js";
import type { ClusterSnapshot } from "./model.js";
import { nodeName } from "./palette.js";
import type { MessageRecord, TraceIndex } from "./trace-index.js";
import { indexMap, isElectionTimer, role, term } from "./views.js";
import { messageFields, messageMeaning, stateFields } from "./words.js";
import { el } from "./dom.js";

/** What the panel reads each time it is drawn. */
export interface InspectorContext {
  readonly snap: ClusterSnapshot;
  readonly step: number;
  readonly now: number;
  readonly index: TraceIndex;
  readonly nodes: readonly NodeId[];
  /** The scenario's own sentence about sending a message, if it has one. */
  readonly sendLine?: (m: MessageRecord) => string | undefined;
  /** False for a recorded trace: there is no simulation to act on. */
  readonly interactive: boolean;
  /** What a client request typed by the reader looks like by default ("x=3", "t2"). */
  readonly requestExample: string;
}

export interface InspectorHandlers {
  act(action: ReaderAction): void;
  /** Open another message's panel (from a server's list of messages in flight). */
  showMessage(msgId: number): void;
  closed(): void;
}

type Target = { kind: "node"; id: NodeId } | { kind: "message"; id: number } | { kind: "info"; title: string; text: string };


const ms = (t: number) => `${t < 10 && t % 1 !== 0 ? t.toFixed(1) : Math.round(t)} ms`;

function fieldList(fields: ReadonlyArray<[string, string]>): HTMLElement {
  const dl = el("dl", { class: "fields" });
  for (const [k, v] of fields) dl.append(el("dt", {}, k), el("dd", {}, v));
  return dl;
}

const DROP_WHY: Record<string, string> = {
  partition: "the link was cut",
  crashed: "the receiver was down",
  loss: "the network lost it (random loss)",
  "unknown-node": "the receiver does not exist",
};

/** Builds the panel for whatever is selected; `refresh` redraws it for the player's current step. */
export class Inspector {
  readonly element: HTMLElement;
  private target: Target | undefined;
  private requestSerial = 1;
  /** What the reader is typing as a client request: kept while the panel redraws for a new step. */
  private draft: string | undefined;

  constructor(private readonly handlers: InspectorHandlers) {
    this.element = el("section", { class: "inspector", "aria-live": "polite", "aria-label": "Inspector" });
    this.element.hidden = true;
  }

  get selectedNode(): NodeId | undefined {
    return this.target?.kind === "node" ? this.target.id : undefined;
  }

  get selectedMessage(): number | undefined {
    return this.target?.kind === "message" ? this.target.id : undefined;
  }

  showNode(id: NodeId, ctx: InspectorContext, focus = false): void {
    if (this.target?.kind !== "node" || this.target.id !== id) this.draft = undefined;
    this.target = { kind: "node", id };
    this.draw(ctx, focus);
  }

  showMessage(id: number, ctx: InspectorContext, focus = false): void {
    this.target = { kind: "message", id };
    this.draw(ctx, focus);
  }

  /** Text a chart element carries for tapping (a log cell, a timeline stretch): the tap-friendly twin of a hover title. */
  showInfo(title: string, text: string, ctx: InspectorContext): void {
    this.target = { kind: "info", title, text };
    this.draw(ctx, false);
  }

  close(): void {
    this.target = undefined;
    this.element.hidden = true;
    this.element.replaceChildren();
    this.handlers.closed();
  }

  refresh(ctx: InspectorContext): void {
    if (this.target) this.draw(ctx, false);
  }

  private draw(ctx: InspectorContext, focus: boolean): void {
    const t = this.target;
    if (!t) return;
    // A redraw for a new step must not take the reader's focus away from the control they are using.
    const active = document.activeElement;
    const keep = active instanceof HTMLElement && this.element.contains(active) ? (active.dataset.control ?? active.dataset.action) : undefined;
    const heading = el("h4", { tabindex: "-1" });
    const close = el("button", { type: "button", class: "close", "data-action": "close-panel", "aria-label": "Close the panel" }, "×");
    close.addEventListener("click", () => this.close());
    const body = t.kind === "node" ? this.nodeBody(t.id, ctx, heading) : t.kind === "message" ? this.messageBody(t.id, ctx, heading) : [el("p", {}, t.text)];
    if (t.kind === "info") heading.textContent = t.title;
    this.element.dataset.panel = t.kind;
    this.element.dataset.target = t.kind === "info" ? "" : String(t.id);
    this.element.replaceChildren(el("header", {}, heading, close), ...body);
    this.element.hidden = false;
    const again = keep === undefined ? undefined : this.element.querySelector<HTMLElement>(`[data-control="${keep}"], [data-action="${keep}"]`);
    if (again) {
      again.focus();
      if (again instanceof HTMLInputElement) again.setSelectionRange(again.value.length, again.value.length);
    } else if (focus) heading.focus();
  }

  private button(label: string, action: string, run: () => void, enabled = true): HTMLButtonElement {
    const b = el("button", { type: "button", "data-action": action }, label);
    if (!enabled) b.disabled = true;
    b.addEventListener("click", run);
    return b;
  }

  private nodeBody(id: NodeId, ctx: InspectorContext, heading: HTMLElement): Node[] {
    const n = ctx.snap.nodes.get(id);
    const status = n?.status ?? "up";
    const r = role(n?.view);
    const t = term(n?.view);
    heading.textContent = `${nodeName(id)}${r && status !== "crashed" ? ` · ${r}` : ""}${t !== undefined && status !== "crashed" ? ` · term ${t}` : ""}`;
    const out: Node[] = [];
    out.push(
      el("p", { class: `status ${status}` },
        status === "crashed" ? "Crashed: it runs nothing and keeps only what it wrote to its disk." : status === "paused" ? "Paused: it runs nothing; messages and timers wait until it resumes." : "Up and running."),
    );
    if (status !== "crashed" && n?.view !== undefined) out.push(fieldList(stateFields(n.view)));
    // Timers: when each fires.
    if (status !== "crashed" && n && n.timers.size > 0) {
      const ul = el("ul", { class: "timers" });
      for (const [name, timer] of n.timers) {
        const li = el("li", {}, `${name} timer fires at ${ms(timer.fireAt)} (in ${ms(Math.max(0, timer.fireAt - ctx.now))})`);
        ul.append(li);
      }
      out.push(el("h5", {}, "Timers"), ul);
    }
    // A leader's view of each follower: what it will send next and what it knows they hold.
    const next = indexMap(n?.view, "nextIndex");
    const match = indexMap(n?.view, "matchIndex");
    if (status !== "crashed" && (next.size > 0 || match.size > 0)) {
      const table = el("table", { class: "peers" });
      const head = el("tr", {}, el("th", { scope: "col" }, "follower"), el("th", { scope: "col" }, "nextIndex (sends from)"), el("th", { scope: "col" }, "matchIndex (known to hold)"));
      const rows = ctx.nodes.filter((p) => p !== id).map((p) => el("tr", {}, el("th", { scope: "row" }, nodeName(p)), el("td", {}, String(next.get(p) ?? "–")), el("td", {}, String(match.get(p) ?? "–"))));
      table.append(el("thead", {}, head), el("tbody", {}, ...rows));
      out.push(el("h5", {}, "Followers, as the leader sees them"), table);
    }
    // Messages on the wire from or to it, each opening its own panel.
    const flying = [...ctx.snap.inFlight.values()].filter((m) => m.from === id || m.to === id);
    if (flying.length > 0) {
      const ul = el("ul", { class: "in-flight" });
      for (const m of flying.slice(0, 12)) {
        const b = el("button", { type: "button", class: "linkish", "data-action": "show-message", "data-msg": String(m.msgId) }, `${m.msg.type} ${nodeName(m.from)}→${nodeName(m.to)}`);
        b.addEventListener("click", () => this.handlers.showMessage(m.msgId));
        ul.append(el("li", {}, b));
      }
      out.push(el("h5", {}, `Messages in flight (${flying.length})`), ul);
    }
    if (ctx.interactive) out.push(this.nodeActions(id, status, n?.timers ?? new Map(), ctx));
    else out.push(el("p", { class: "hint" }, "A recorded trace: open the scenario on its lesson page to act on its servers."));
    return out;
  }

  private nodeActions(id: NodeId, status: string, timers: ReadonlyMap<string, unknown>, ctx: InspectorContext): HTMLElement {
    const box = el("div", { class: "actions", role: "group", "aria-label": `Actions on ${nodeName(id)}` });
    const act = (a: ReaderAction) => this.handlers.act(a);
    box.append(
      status === "crashed" ? this.button("Restart", "node-restart", () => act({ type: "restart", node: id })) : this.button("Crash", "node-crash", () => act({ type: "crash", node: id })),
      status === "paused" ? this.button("Resume", "node-resume", () => act({ type: "resume", node: id })) : this.button("Pause", "node-pause", () => act({ type: "pause", node: id }), status === "up"),
    );
    const names = [...timers.keys()];
    const timer = names.find(isElectionTimer) ?? names[0];
    box.append(this.button(timer && !isElectionTimer(timer) ? `Fire its ${timer} timer now` : "Time out now", "node-timeout", () => timer && act({ type: "timeout", node: id, timer }), status === "up" && timer !== undefined));
    const input = el("input", { type: "text", "data-control": "request-op", value: this.draft ?? ctx.requestExample.replace("#", String(this.requestSerial)), "aria-label": `Client request to send to ${nodeName(id)}`, maxlength: "24", pattern: "[\\w=.:;+\\-]{1,24}" });
    const send = this.button("Send a client request", "node-request", () => {
      const op = input.value.trim();
      if (!/^[A-Za-z0-9=_.:;+-]{1,24}$/.test(op)) {
        input.setCustomValidity("Use letters, digits and = _ . : ; + - (at most 24)");
        input.reportValidity();
        return;
      }
      this.requestSerial++;
      this.draft = undefined;
      act({ type: "request", node: id, op });
    }, status !== "crashed");
    input.addEventListener("input", () => {
      input.setCustomValidity("");
      this.draft = input.value;
    });
    box.append(el("div", { class: "request-row" }, input, send));
    return box;
  }

  private messageBody(id: number, ctx: InspectorContext, heading: HTMLElement): Node[] {
    const m = ctx.index.byId.get(id);
    if (!m) {
      heading.textContent = "Message";
      return [el("p", {}, "This message is not part of the current run (the run changed).")];
    }
    heading.textContent = `${m.type} ${nodeName(m.from)} → ${nodeName(m.to)}`;
    const out: Node[] = [];
    const meaning = messageMeaning(m.type);
    if (meaning) out.push(el("p", { class: "meaning" }, meaning));
    const said = ctx.sendLine?.(m);
    if (said) out.push(el("p", { class: "said" }, said));
    const fate = ctx.index.fateAt(m, ctx.step);
    const copy = m.copyOf !== undefined ? " It is a copy the network made of another message." : "";
    const status =
      fate === "unsent" ? `Not sent yet: it leaves ${nodeName(m.from)} at ${ms(m.sentAt)}.` :
      fate === "in-flight" ? `In flight: sent at ${ms(m.sentAt)}, due at ${nodeName(m.to)} at ${ms(m.deliverAt)}.${copy}` :
      fate === "delivered" ? `Delivered to ${nodeName(m.to)} at ${ms(m.endAt as number)} (sent at ${ms(m.sentAt)}).${copy}` :
      `Lost at ${ms(m.endAt as number)}: ${DROP_WHY[m.dropReason ?? ""] ?? "dropped"}.${copy}`;
    out.push(el("p", { class: `status ${fate}` }, status), fieldList(messageFields(m.msg)));
    if (ctx.interactive) {
      const live = fate === "in-flight";
      const box = el("div", { class: "actions", role: "group", "aria-label": "Actions on this message" });
      box.append(
        this.button("Drop this message", "msg-drop", () => this.handlers.act({ type: "drop", msgId: id }), live),
        this.button("Duplicate it", "msg-duplicate", () => this.handlers.act({ type: "duplicate", msgId: id }), live),
      );
      out.push(box);
      if (!live) out.push(el("p", { class: "hint" }, "Only a message still in flight can be dropped or duplicated."));
    }
    return out;
  }
}
