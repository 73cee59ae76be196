// One search as the site runs it (in its worker, and in the tests that check the lesson text): the scripted start, then breadth-first search.

import { explore, resolveRun, scriptChoices, type ExploreOptions, type ExploreResult, type Progress } from "@course/explore";
import type { SearchRequest } from "./search-presets.js";

/** Runs a search as the site's worker does: the scripted start first, then breadth-first search from its end. */
export function runSearch(request: SearchRequest, onProgress?: (p: Progress) => void): { readonly result: ExploreResult; readonly startSteps: number } {
  const options: ExploreOptions = {
    protocol: request.protocol,
    ...(request.variant === undefined ? {} : { variant: request.variant }),
    ...(request.nodeOptions === undefined ? {} : { nodeOptions: request.nodeOptions }),
    ...request.bounds,
    strategy: "bfs",
    progressEvery: 500,
    ...(onProgress === undefined ? {} : { onProgress }),
  };
  const from = request.start === undefined ? [] : scriptChoices(resolveRun(options), request.start);
  return { result: explore({ ...options, from }), startSteps: from.length };
}
