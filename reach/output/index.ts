/**
 * What the engine's results become for people: connection lines, explanations of one pair, expectation files,
 * and diffs of two results.
 * Imports reach/engine and reach/input. Other rooms import this one through this index.
 */
export * from "./diff";
export * from "./expect";
export * from "./explain";
export * from "./format";
export * from "./names";
