/**
 * The intent check: the rendered policies run through the reachability engine and compared with what the
 * intent allows, pair by pair.
 * Imports any core/ room below it and reach/. Other rooms import this one through this index.
 */
export * from "./intentCheck";
