// Public API of the linearizability checker.

export type { Operation, Model, CheckOptions, Verdict, CheckResult, PartitionResult, Explanation } from "./types.js";
export { HistoryError } from "./types.js";
export { checkLinearizable, describeOperation } from "./check.js";
export { validateHistory, operationsFromEvents, type HistoryEvent } from "./validate.js";
export { kvModel, casRegisterModel, type KvInput, type KvOutput, type RegisterInput, type RegisterState } from "./kv-model.js";
export { kvHistoryFromRequests, type SimHistory } from "./sim-history.js";
export { recordHistory, readRecordedHistory, historyModels, type RecordedHistory, type AnyModel } from "./recorded.js";
export { generateKvHistory, type GenerateOptions } from "./generate.js";
