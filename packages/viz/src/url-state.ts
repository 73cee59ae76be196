// A run as a shareable link: scenario, seed, variant, position and the reader's own faults, in the query string.

import type { NodeId } from "@course/sim";
import type { ReaderAction, ReaderFault } from "./fork.js";

export type { ReaderFault } from "./fork.js";

export interface PlayerUrlState {
  scenario?: string;
  seed?: number;
  variant?: string;
  step?: number;
  faults?: ReaderFault[];
}

const NODE_FAULTS = new Set(["crash", "restart", "pause", "resume", "isolate"]);

/** Free text in a fault (a request's value, a timer's name): "~" and "," separate faults, so they are escaped. */
const escapeText = (t: string) => encodeURIComponent(t).replace(/~/g, "%7E");

/** "12~crash~3,40~heal,51~request~2~x%3D5,60~drop~88" : compact and readable in a link. */
export function encodeFaults(faults: readonly ReaderFault[]): string {
  return faults
    .map(({ afterStep, action: a }) => {
      switch (a.type) {
        case "crash":
        case "restart":
        case "pause":
        case "resume":
        case "isolate":
          return `${afterStep}~${a.type}~${a.node}`;
        case "cut":
          return `${afterStep}~cut~${a.from}~${a.to}`;
        case "heal":
          return a.from === undefined ? `${afterStep}~heal` : `${afterStep}~heal~${a.from}~${a.to}`;
        case "request":
          return `${afterStep}~request~${a.node}~${escapeText(a.op)}`;
        case "timeout":
          return `${afterStep}~timeout~${a.node}~${escapeText(a.timer)}`;
        case "drop":
        case "duplicate":
          return `${afterStep}~${a.type}~${a.msgId}`;
      }
    })
    .join(",");
}

/** Reads what encodeFaults wrote; anything malformed is skipped rather than breaking the page. */
export function decodeFaults(text: string): ReaderFault[] {
  const out: ReaderFault[] = [];
  for (const part of text.split(",")) {
    const [stepText, type, a, b] = part.split("~");
    const afterStep = Number(stepText);
    if (!Number.isInteger(afterStep) || afterStep < 0 || type === undefined) continue;
    const n1 = Number(a);
    const n2 = Number(b);
    const text2 = (() => {
      try {
        return b === undefined ? undefined : decodeURIComponent(b);
      } catch {
        return undefined;
      }
    })();
    let action: ReaderAction | undefined;
    if (NODE_FAULTS.has(type) && Number.isInteger(n1)) action = { type, node: n1 as NodeId } as ReaderAction;
    else if (type === "cut" && Number.isInteger(n1) && Number.isInteger(n2)) action = { type: "cut", from: n1, to: n2 };
    else if (type === "heal" && a === undefined) action = { type: "heal" };
    else if (type === "heal" && Number.isInteger(n1) && Number.isInteger(n2)) action = { type: "heal", from: n1, to: n2 };
    else if (type === "request" && Number.isInteger(n1) && text2) action = { type: "request", node: n1, op: text2 };
    else if (type === "timeout" && Number.isInteger(n1) && text2) action = { type: "timeout", node: n1, timer: text2 };
    else if ((type === "drop" || type === "duplicate") && Number.isInteger(n1) && n1 >= 0) action = { type, msgId: n1 };
    if (action) out.push({ afterStep, action });
  }
  return out;
}

export function readUrlState(search: string): PlayerUrlState {
  const p = new URLSearchParams(search);
  const state: PlayerUrlState = {};
  const scenario = p.get("scenario");
  if (scenario) state.scenario = scenario;
  const seed = Number(p.get("seed"));
  if (p.has("seed") && Number.isInteger(seed)) state.seed = seed;
  const variant = p.get("variant");
  if (variant) state.variant = variant;
  const step = Number(p.get("step"));
  if (p.has("step") && Number.isInteger(step) && step >= 0) state.step = step;
  const faults = p.get("faults");
  if (faults) state.faults = decodeFaults(faults);
  return state;
}

/** Merge the player's state into an existing query string, keeping other parameters. */
export function writeUrlState(search: string, state: PlayerUrlState): string {
  const p = new URLSearchParams(search);
  const set = (k: string, v: string | undefined) => (v === undefined || v === "" ? p.delete(k) : p.set(k, v));
  set("scenario", state.scenario);
  set("seed", state.seed === undefined ? undefined : String(state.seed));
  set("variant", state.variant);
  set("step", state.step === undefined ? undefined : String(state.step));
  set("faults", state.faults && state.faults.length ? encodeFaults(state.faults) : undefined);
  const s = p.toString();
  return s ? `?${s}` : "";
}
