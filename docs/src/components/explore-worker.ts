// The explorer in a Web Worker: runs one search per message and posts its progress and result back, so the page stays responsive.

import { explore, resolveRun, scriptChoices, type ExploreOptions, type ExploreResult, type Progress } from "@course/explore";
import type { SearchRequest } from "./search-presets.js";

/** What the worker posts back. */
export type SearchMessage =
  | ({ readonly kind: "progress"; readonly elapsedMs: number } & Progress)
  | { readonly kind: "done"; readonly result: ExploreResult; readonly elapsedMs: number; readonly startSteps: number }
  | { readonly kind: "error"; readonly message: string };

/** Progress is posted at most this often (real ms), so the page is not flooded. */
const PROGRESS_EVERY_MS = 250;

const post = (m: SearchMessage) => (self as unknown as { postMessage(m: SearchMessage): void }).postMessage(m);

function run(request: SearchRequest): void {
  const started = performance.now();
  let lastPost = -Infinity;
  const options: ExploreOptions = {
    protocol: request.protocol,
    ...(request.variant === undefined ? {} : { variant: request.variant }),
    ...(request.nodeOptions === undefined ? {} : { nodeOptions: request.nodeOptions }),
    ...request.bounds,
    strategy: "bfs",
    progressEvery: 500,
    onProgress: (p) => {
      const now = performance.now();
      if (now - lastPost < PROGRESS_EVERY_MS) return;
      lastPost = now;
      post({ kind: "progress", elapsedMs: now - started, ...p });
    },
  };
  const from = request.start === undefined ? [] : scriptChoices(resolveRun(options), request.start);
  const result = explore({ ...options, from });
  post({ kind: "done", result, elapsedMs: performance.now() - started, startSteps: from.length });
}

self.addEventListener("message", (e: MessageEvent<SearchRequest>) => {
  try {
    run(e.data);
  } catch (err) {
    post({ kind: "error", message: err instanceof Error ? err.message : String(err) });
  }
});
