// The explorer in a Web Worker: runs one search per message and posts its progress and result back, so the page stays responsive.

import type { ExploreResult, Progress } from "@course/explore";
import { runSearch } from "./run-search.js";
import type { SearchRequest } from "./search-presets.js";

/** What the worker posts back. */
export type SearchMessage =
  | ({ readonly kind: "progress"; readonly elapsedMs: number } & Progress)
  | { readonly kind: "done"; readonly result: ExploreResult; readonly elapsedMs: number; readonly startSteps: number }
  | { readonly kind: "error"; readonly message: string };

/** Progress is posted at most this often (real ms): the status line is a live region, and a screen reader reads each update. */
const PROGRESS_EVERY_MS = 1000;

const post = (m: SearchMessage) => (self as unknown as { postMessage(m: SearchMessage): void }).postMessage(m);

self.addEventListener("message", (e: MessageEvent<SearchRequest>) => {
  const started = performance.now();
  let lastPost = -Infinity;
  try {
    const { result, startSteps } = runSearch(e.data, (p) => {
      const now = performance.now();
      if (now - lastPost < PROGRESS_EVERY_MS) return;
      lastPost = now;
      post({ kind: "progress", elapsedMs: now - started, ...p });
    });
    post({ kind: "done", result, elapsedMs: performance.now() - started, startSteps });
  } catch (err) {
    post({ kind: "error", message: err instanceof Error ? err.message : String(err) });
  }
});
