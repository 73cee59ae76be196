// Errors the explorer raises for bad options: a clear sentence, not a stack trace.

export class ExploreError extends Error {
  override name = "ExploreError";
}
