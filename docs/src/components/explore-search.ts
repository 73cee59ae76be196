// The "Search for a counterexample" control: runs the explorer in a Web Worker on the chosen rule, shows live progress, and plays what it finds in the player.

import type { ExploreResult } from "@course/explore";
import { createPlayer, type Player } from "@course/viz";
import type { SearchMessage } from "./explore-worker.js";
import { boundText, type SearchPreset } from "./search-presets.js";

export interface SearchControl {
  readonly element: HTMLElement;
  /** Offer another set of rules (the sandbox's protocol changed): stops a running search and clears the result. */
  setPresets(presets: readonly SearchPreset[], note?: string): void;
  destroy(): void;
}

const count = (n: number) => Math.round(n).toLocaleString("en-US");
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const rate = (n: number, ms: number) => (ms > 0 ? count((n * 1000) / ms) : "0");

/** The worker script, compiled by Framework's build like any page module (import.meta.resolve names its built file). */
function startWorker(): Worker {
  return new Worker(import.meta.resolve("./explore-worker.js"), { type: "module" });
}

/**
 * "The shortest counterexample takes 9 steps after the scripted start; the trace has 32 steps, counting ...". Breadth-first
 * search counts moves from where it starts; a move is one choice plus the losses of messages past their lifetime.
 */
export function lengthText(searchDepth: number, traceSteps: number, startSteps: number): string {
  const lost = traceSteps - startSteps - searchDepth;
  const parts = [...(startSteps > 0 ? [`the ${startSteps} steps of the scripted start`] : []), ...(lost > 0 ? [`${lost} losses of messages that waited past the bound`] : [])];
  const head = `The shortest counterexample takes ${searchDepth} steps${startSteps > 0 ? " after the scripted start" : ""}`;
  return parts.length === 0 ? `${head}.` : `${head}; the trace has ${traceSteps} steps, counting ${parts.join(" and ")}.`;
}

let ids = 0;

export function searchControl(initial: readonly SearchPreset[], options: { readonly idPrefix?: string; readonly note?: string } = {}): SearchControl {
  const id = `${options.idPrefix ?? "search"}-${++ids}`;
  let presets = initial;
  /** A button of the control, named by what it does (tests and styles find it by data-action). */
  const button = (action: string, text: string) => {
    const b = Object.assign(document.createElement("button"), { type: "button", textContent: text });
    b.dataset.action = action;
    return b;
  };
  const rule = document.createElement("select");
  rule.dataset.control = "search-rule";
  const startBtn = button("search-start", "Search for a counterexample");
  const cancelBtn = button("search-cancel", "Cancel");
  cancelBtn.disabled = true;
  const ruleLabel = document.createElement("label");
  ruleLabel.append("Rule to search", rule);
  const form = Object.assign(document.createElement("div"), { className: "tool-form" });
  form.append(ruleLabel, startBtn, cancelBtn);

  const note = Object.assign(document.createElement("p"), { className: "search-note" });
  const bound = Object.assign(document.createElement("p"), { className: "search-bound", id: `${id}-bound` });
  startBtn.setAttribute("aria-describedby", bound.id);
  // Progress and verdicts are announced politely, the whole sentence each time.
  const status = Object.assign(document.createElement("p"), { className: "search-status" });
  for (const [k, v] of [["role", "status"], ["aria-live", "polite"], ["aria-atomic", "true"]] as const) status.setAttribute(k, v);
  status.dataset.state = "idle";
  const mount = Object.assign(document.createElement("div"), { className: "search-result" });
  const root = Object.assign(document.createElement("div"), { className: "explore-search" });
  root.append(form, note, bound, status, mount);

  let worker: Worker | undefined;
  let player: Player | undefined;

  const preset = (): SearchPreset => (presets[Number(rule.value)] ?? presets[0]) as SearchPreset;

  function setStatus(state: string, ...content: Array<string | Node>): void {
    status.dataset.state = state;
    status.replaceChildren(...content);
  }

  function clearResult(): void {
    player?.destroy();
    player = undefined;
    mount.replaceChildren();
  }

  function stopWorker(): void {
    worker?.terminate();
    worker = undefined;
    startBtn.disabled = false;
    rule.disabled = false;
    cancelBtn.disabled = true;
  }

  /** The chosen rule, its start and bound, with no result yet. */
  function reset(): void {
    stopWorker();
    clearResult();
    const p = preset();
    bound.textContent = `Bound: starts ${p.startText}; explores breadth-first with ${boundText(p.request)}.`;
    setStatus("idle", "Not searched yet for this rule.");
  }

  function fillRules(): void {
    rule.replaceChildren(
      ...presets.map((p, i) => {
        const o = document.createElement("option");
        o.value = String(i);
        o.textContent = p.label;
        return o;
      }),
    );
  }

  function showResult(result: ExploreResult, elapsedMs: number, startSteps: number): void {
    const searched = `${count(result.distinctStates)} distinct states in ${seconds(elapsedMs)} (${rate(result.distinctStates, elapsedMs)} states/s)`;
    const v = result.violation;
    if (v !== undefined) {
      const strong = document.createElement("strong");
      strong.textContent = `Counterexample found: ${v.invariant} is broken.`;
      setStatus("found", strong, ` ${v.message}. ${lengthText(result.depthReached, v.depth, startSteps)} Searched ${searched}. Step through it below.`);
      const file = v.trace;
      player = createPlayer({
        recorded: { title: `Counterexample: ${v.invariant}`, summary: `${preset().label}, found by breadth-first search.`, seed: file.seed, nodes: file.nodes, events: file.events },
      });
      player.element.classList.add("search-player");
      mount.replaceChildren(player.element);
      return;
    }
    // The verdict holds for this start and bound only: both are part of the sentence.
    const within = `No violation within: ${boundText(preset().request)}, starting ${preset().startText}.`;
    if (result.exhausted) setStatus("none", `${within} Every state within the bound was explored: ${searched}.`);
    else setStatus("none", `${within} The search stopped at the limit of ${count(result.distinctStates)} distinct states, so the bound was not exhausted: states beyond the limit were not checked. Searched ${searched}.`);
  }

  function start(): void {
    clearResult();
    const p = preset();
    startBtn.disabled = true;
    rule.disabled = true;
    cancelBtn.disabled = false;
    cancelBtn.focus();
    setStatus("running", "Searching: starting the worker…");
    let last = { distinctStates: 0, depthReached: 0 };
    const w = startWorker();
    worker = w;
    const finish = () => {
      const hadFocus = document.activeElement === cancelBtn || document.activeElement === rule;
      stopWorker();
      if (hadFocus) startBtn.focus();
    };
    w.addEventListener("message", (e: MessageEvent<SearchMessage>) => {
      if (worker !== w) return; // a message of a search already canceled
      const m = e.data;
      if (m.kind === "progress") {
        last = m;
        setStatus("running", `Searching: ${count(m.distinctStates)} distinct states, depth ${m.depthReached}, ${rate(m.distinctStates, m.elapsedMs)} states/s.`);
      } else if (m.kind === "done") {
        finish();
        showResult(m.result, m.elapsedMs, m.startSteps);
      } else {
        finish();
        setStatus("error", `The search failed: ${m.message}`);
      }
    });
    w.addEventListener("error", (e) => {
      if (worker !== w) return;
      finish();
      setStatus("error", `The search could not run: ${e.message || "the worker failed to start"}.`);
    });
    cancelBtn.onclick = () => {
      if (worker !== w) return;
      stopWorker();
      startBtn.focus();
      setStatus("canceled", `Search canceled after ${count(last.distinctStates)} distinct states (depth ${last.depthReached}): no verdict. Search again to run it to the end.`);
    };
    w.postMessage(p.request);
  }

  startBtn.addEventListener("click", start);
  rule.addEventListener("change", reset);

  function setPresets(next: readonly SearchPreset[], text?: string): void {
    presets = next;
    note.textContent = text ?? "";
    note.hidden = !text;
    fillRules();
    reset();
  }
  setPresets(initial, options.note);

  return {
    element: root,
    setPresets,
    destroy() {
      stopWorker();
      clearResult();
    },
  };
}
