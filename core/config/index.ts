/**
 * The stack's config: its schema and validation, the placeholders it still holds, Pulumi's flat config map decoded, and the Azure resource
 * names derived from it.
 * Imports core/common, core/azure and core/intent. Other rooms import this one through this index.
 */
export * from "./configPaths";
export * from "./names";
export * from "./placeholders";
export * from "./stackConfig";
export * from "./stackConfigSource";
