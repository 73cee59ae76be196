// Input checks for histories: a malformed history gets an error naming the operation and what is wrong, never a verdict.

import { HistoryError, type Model, type Operation } from "./types.js";

function label(op: Partial<Operation<unknown, unknown>> | undefined, position: number): string {
  const id = op !== undefined && typeof op === "object" && op !== null && "id" in op ? ` (id ${String(op.id)})` : "";
  return `operation #${position}${id}`;
}

const isInteger = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v);
const time = (t: number): string => (t === Infinity ? "Infinity" : String(t));

/**
 * Throws a HistoryError for the first problem found: an entry that is not an operation, a duplicate id, a
 * non-integer id or client, a call time that is not a finite number, a return that is missing, NaN or before
 * the call, an input or output the model does not accept, an unknown outcome with a finite return (or an
 * Infinity return on a known one), and two calls by one client that overlap.
 */
export function validateHistory<S, I, O>(model: Model<S, I, O>, history: readonly Operation<I, O>[]): void {
  if (!Array.isArray(history)) throw new HistoryError(`a history is an array of operations, got ${typeof history}`);
  const positionOfId = new Map<number, number>();
  history.forEach((op: Partial<Operation<I, O>> | undefined, position) => {
    const what = label(op, position);
    if (typeof op !== "object" || op === null) throw new HistoryError(`${what} is not an object`);
    if (!isInteger(op.id)) throw new HistoryError(`${what}: its id must be an integer, got ${JSON.stringify(op.id)}`);
    const seen = positionOfId.get(op.id);
    if (seen !== undefined) throw new HistoryError(`${what}: id ${op.id} is already used by operation #${seen}; every operation needs its own id`);
    positionOfId.set(op.id, position);
    if (!isInteger(op.client)) throw new HistoryError(`${what}: its client must be an integer, got ${JSON.stringify(op.client)}`);
    if (typeof op.call !== "number" || !Number.isFinite(op.call)) {
      if (typeof op.return === "number" && op.call === undefined) throw new HistoryError(`${what} has a return (at ${time(op.return)}) but no call`);
      throw new HistoryError(`${what}: its call time must be a finite number, got ${String(op.call)}`);
    }
    if (typeof op.return !== "number" || Number.isNaN(op.return) || op.return === -Infinity) {
      throw new HistoryError(`${what}: its return time must be a number (Infinity when the outcome is unknown), got ${String(op.return)}`);
    }
    if (op.return < op.call) throw new HistoryError(`${what} returns (at ${op.return}) before its call (at ${op.call})`);
    const problem = model.validate?.(op.input as I, op.output as O);
    if (problem !== undefined) throw new HistoryError(`${what} is not a ${model.name} operation: ${problem}`);
    if (model.outcomeUnknown !== undefined) {
      const unknown = model.outcomeUnknown(op.output as O);
      if (unknown && op.return !== Infinity) {
        throw new HistoryError(`${what} has an unknown outcome but returns at ${op.return}: it may still take effect after the client gave up, so its return must be Infinity`);
      }
      if (!unknown && op.return === Infinity) throw new HistoryError(`${what} never returned (return Infinity) yet has a known output; mark its output unknown`);
    }
  });
  const byClient = new Map<number, Operation<I, O>[]>();
  for (const op of history) {
    const list = byClient.get(op.client);
    if (list) list.push(op);
    else byClient.set(op.client, [op]);
  }
  for (const [client, ops] of byClient) {
    const sorted = [...ops].sort((a, b) => a.call - b.call || a.return - b.return);
    for (let k = 1; k < sorted.length; k++) {
      const a = sorted[k - 1] as Operation<I, O>;
      const b = sorted[k] as Operation<I, O>;
      if (b.call < a.return) {
        throw new HistoryError(
          `client ${client} has overlapping calls: id ${a.id} (called at ${a.call}, returned at ${time(a.return)}) and id ${b.id} (called at ${b.call}). A client waits for each answer before its next call; one that gives up waiting must continue under a new client number.`,
        );
      }
    }
  }
}

/** A history as a stream of calls and returns (Porcupine's event form). */
export type HistoryEvent<I, O> =
  | { readonly kind: "call"; readonly id: number; readonly client: number; readonly time: number; readonly input: I }
  | { readonly kind: "return"; readonly id: number; readonly time: number; readonly output: O };

/**
 * Pairs each call with its return. A return without a call, a second call or return for one id, and a call
 * that never returns are errors; give `unanswered` (e.g. { unknown: true }) to turn calls without a return
 * into operations whose outcome is unknown (return Infinity).
 */
export function operationsFromEvents<I, O>(events: readonly HistoryEvent<I, O>[], options: { unanswered?: O } = {}): Operation<I, O>[] {
  const calls = new Map<number, { event: Extract<HistoryEvent<I, O>, { kind: "call" }>; position: number; output?: O; return?: number }>();
  events.forEach((e, position) => {
    if (typeof e !== "object" || e === null || (e.kind !== "call" && e.kind !== "return")) throw new HistoryError(`event #${position} is neither a call nor a return`);
    const open = calls.get(e.id);
    if (e.kind === "call") {
      if (open !== undefined) throw new HistoryError(`event #${position} calls operation ${e.id} again (first called by event #${open.position})`);
      calls.set(e.id, { event: e, position });
      return;
    }
    if (open === undefined) throw new HistoryError(`event #${position} is a return for operation ${e.id}, which was never called`);
    if (open.return !== undefined) throw new HistoryError(`event #${position} returns operation ${e.id} a second time`);
    if (e.time < open.event.time) throw new HistoryError(`event #${position} returns operation ${e.id} at ${e.time}, before its call at ${open.event.time}`);
    open.return = e.time;
    open.output = e.output;
  });
  return [...calls.values()].map(({ event, output, return: ret }) => {
    if (ret === undefined) {
      if (options.unanswered === undefined) throw new HistoryError(`operation ${event.id} (client ${event.client}, called at ${event.time}) never returned; pass \`unanswered\` to treat such calls as having an unknown outcome`);
      return { id: event.id, client: event.client, call: event.time, return: Infinity, input: event.input, output: options.unanswered };
    }
    return { id: event.id, client: event.client, call: event.time, return: ret, input: event.input, output: output as O };
  });
}
