// Histories as JSON (inside trace files): Infinity is written as null, and the model is named so a reader can check it.

import { casRegisterModel, kvModel } from "./kv-model.js";
import { HistoryError, type Model, type Operation } from "./types.js";
import { validateHistory } from "./validate.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyModel = Model<any, any, any>;

/** The models a recorded history may name. */
export const historyModels: Readonly<Record<string, AnyModel>> = { [kvModel.name]: kvModel, [casRegisterModel.name]: casRegisterModel };

/** A client history as stored in JSON: `return: null` stands for Infinity (an unknown outcome). */
export interface RecordedHistory {
  readonly model: string;
  /** Optional display names, by client number. */
  readonly clients?: readonly string[];
  readonly operations: ReadonlyArray<Omit<Operation<unknown, unknown>, "return"> & { readonly return: number | null }>;
}

export function recordHistory<I, O>(model: Model<unknown, I, O> | AnyModel, operations: readonly Operation<I, O>[], clients?: readonly string[]): RecordedHistory {
  return {
    model: model.name,
    ...(clients === undefined ? {} : { clients: [...clients] }),
    operations: operations.map((o) => ({ ...o, return: o.return === Infinity ? null : o.return })),
  };
}

/** Reads a recorded history back, checking it: an unknown model or a malformed operation is a HistoryError. */
export function readRecordedHistory(data: unknown): { model: AnyModel; operations: Operation<unknown, unknown>[]; clients?: readonly string[] } {
  if (typeof data !== "object" || data === null) throw new HistoryError("a recorded history is an object { model, operations }");
  const d = data as Partial<RecordedHistory>;
  const model = typeof d.model === "string" ? historyModels[d.model] : undefined;
  if (model === undefined) throw new HistoryError(`a recorded history names an unknown model ${JSON.stringify(d.model)} (known: ${Object.keys(historyModels).join(", ")})`);
  if (!Array.isArray(d.operations)) throw new HistoryError("a recorded history has no operations array");
  const operations = d.operations.map((o) => (typeof o === "object" && o !== null && o.return === null ? { ...o, return: Infinity } : o)) as Operation<unknown, unknown>[];
  validateHistory(model, operations);
  const clients = Array.isArray(d.clients) && d.clients.every((c) => typeof c === "string") ? d.clients : undefined;
  return { model, operations, ...(clients ? { clients } : {}) };
}
