// A run as a shareable link: scenario, seed, variant, position and the reader's own faults, in the query string.

import type { FaultAction, NodeId } from "@course/sim";

/** A fault the reader applied by clicking, after `afterStep` steps. */
export interface ReaderFault {
  readonly afterStep: number;
  readonly action: FaultAction;
}

export interface PlayerUrlState {
  scenario?: string;
  seed?: number;
  variant?: string;
  step?: number;
  faults?: ReaderFault[];
}

const NODE_FAULTS = new Set(["crash", "restart", "pause", "resume", "isolate"]);

/** "12~crash~3,40~heal" : compact and readable in a link. */
export function encodeFaults(faults: readonly ReaderFault[]): string {
  return faults
    .map(({ afterStep, action: a }) => {
      if (a.type === "crash" || a.type === "restart" || a.type === "pause" || a.type === "resume" || a.type === "isolate") return `${afterStep}~${a.type}~${a.node}`;
      if (a.type === "cut") return `${afterStep}~cut~${a.from}~${a.to}`;
      if (a.type === "heal") return a.from === undefined ? `${afterStep}~heal` : `${afterStep}~heal~${a.from}~${a.to}`;
      return undefined;
    })
    .filter((s): s is string => s !== undefined)
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
    if (NODE_FAULTS.has(type) && Number.isInteger(n1)) out.push({ afterStep, action: { type, node: n1 as NodeId } as FaultAction });
    else if (type === "cut" && Number.isInteger(n1) && Number.isInteger(n2)) out.push({ afterStep, action: { type: "cut", from: n1, to: n2 } });
    else if (type === "heal" && a === undefined) out.push({ afterStep, action: { type: "heal" } });
    else if (type === "heal" && Number.isInteger(n1) && Number.isInteger(n2)) out.push({ afterStep, action: { type: "heal", from: n1, to: n2 } });
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
