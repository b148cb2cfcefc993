/**
 * The engine: the cluster model, policies compiled once with the API's defaulting, and the evaluation of every
 * pair of entities by Felix's and Kubernetes' rules, over IPv4 ranges and port intervals.
 * Imports reach/input. Other rooms import this one through this index.
 */
export * from "./analyze";
export * from "./compile";
export * from "./evaluate";
export * from "./intervals";
export * from "./ipranges";
export * from "./model";
export * from "./ports";
