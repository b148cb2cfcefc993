/**
 * Changing a stack on purpose: edits of stack files that keep comments and layout, and the checks a proposed
 * change must pass before it is written.
 * Imports offline/report, offline/runtime, core/ and reach/. Other rooms import this one through this index.
 */
export * from "./stackEdit";
export * from "./suggestCheck";
export * from "./reviewCheck";
export * from "./stackRemoval";
