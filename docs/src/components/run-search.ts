// One search as the site runs it (in its worker, and in the tests that check the lesson text): a variant's scripted start, then breadth-first search.

import { explore, resolveRun, scriptChoices, variantsOf, type ExploreOptions, type ExploreResult, type Progress } from "@course/explore";
import type { SearchRequest } from "./search-presets.js";

/** Runs a search as the site's worker does: the variant's scripted start first (if any), then breadth-first search from its end. */
export function runSearch(request: SearchRequest, onProgress?: (p: Progress) => void): { readonly result: ExploreResult; readonly startSteps: number } {
  const startVariant = request.startOf ?? request.variant;
  const start = startVariant === undefined ? undefined : variantsOf(request.protocol)[startVariant];
  const options: ExploreOptions = {
    protocol: request.protocol,
    ...(request.variant === undefined ? {} : { variant: request.variant }),
    // Another variant's start comes with its node options (Figure 8's one entry per AppendEntries).
    ...(request.startOf === undefined || start?.nodeOptions === undefined ? {} : { nodeOptions: start.nodeOptions }),
    ...request.bounds,
    strategy: "bfs",
    progressEvery: 500,
    ...(onProgress === undefined ? {} : { onProgress }),
  };
  const from = start?.start === undefined ? [] : scriptChoices(resolveRun(options), start.start);
  return { result: explore({ ...options, from }), startSteps: from.length };
}
