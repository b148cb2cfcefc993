/**
 * The vocabulary every room shares: the problem list behind config errors, IPv4 blocks, FQDN rules, ISO days, "did you mean".
 * Imports nothing from the project. Other rooms import this one through this index.
 */
export * from "./cidr";
export * from "./day";
export * from "./errors";
export * from "./fqdn";
export * from "./nearestName";
