// Runs student code under a wall-clock limit, so an infinite loop fails one test instead of hanging the grader.

import vm from "node:vm";

/** Thrown when guarded code runs past its limit; the message tells a student what probably happened. */
export class TimeLimitError extends Error {
  override name = "TimeLimitError";
}

// One compiled script and one context, reused: the script only calls back into the function we hand it.
const script = new vm.Script("__guarded()");
const context = vm.createContext({ __guarded: undefined as (() => unknown) | undefined });

/**
 * Run `fn` synchronously, but stop it after `ms` milliseconds of wall time. A timer or a vitest timeout
 * cannot interrupt a synchronous `while (true)`; V8's script watchdog can, even inside functions defined
 * outside the script, because it terminates whatever JavaScript the isolate is running.
 * Costs about 0.15 ms per call: guard a whole simulation or one unit case, not every rule call.
 */
export function withTimeLimit<T>(fn: () => T, ms: number, what: string): T {
  const previous = context.__guarded;
  if (previous !== undefined) return fn(); // already inside a guarded call: the outer limit applies
  context.__guarded = fn;
  try {
    return script.runInContext(context, { timeout: Math.max(1, Math.round(ms)) }) as T;
  } catch (e) {
    if ((e as { code?: string })?.code === "ERR_SCRIPT_EXECUTION_TIMEOUT") {
      throw new TimeLimitError(`${what} was still running after ${ms} ms and was stopped. Look for a loop that never ends (a while loop whose condition never changes, or an index that never moves).`);
    }
    throw e;
  } finally {
    context.__guarded = undefined;
  }
}

/** How much longer the second run of a confirmed time limit may take. */
export const CONFIRM_FACTOR = 4;

/**
 * `withTimeLimit`, but a time-out counts only if a second run also outlasts a limit CONFIRM_FACTOR times longer:
 * on a busy machine (two cores shared by every test process) a correct case can be starved past its limit, while a
 * loop that never ends runs out of any limit. `fn` must start from scratch on every call.
 */
export function withConfirmedTimeLimit<T>(fn: () => T, ms: number, what: string): T {
  try {
    return withTimeLimit(fn, ms, what);
  } catch (e) {
    if (!(e instanceof TimeLimitError)) throw e;
    return withTimeLimit(fn, ms * CONFIRM_FACTOR, what);
  }
}
