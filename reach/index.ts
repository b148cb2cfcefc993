/**
 * Reachability engine for Kubernetes NetworkPolicies and Calico policies: given plain Kubernetes objects,
 * computes which workload can reach which (and which external IPv4 ranges), on which protocols and ports,
 * and why. No Pulumi dependency: the plan, the pull-request security diff and the policy pack share it.
 */

// Input: manifests with their source locations.
export type { FieldPath, SourceLocation, Warning } from "./errors";
/** A mistake in user input; its message reads "file:line: reason". */
export { InputError, formatWarning } from "./errors";
export type { LoadResult, ManifestObject } from "./load";
/** Parses multi-document YAML text into manifest objects with locations. */
export { loadManifestPaths, parseManifests } from "./load";

// Analysis.
export type { Analysis } from "./analyze";
/** Computes every allowed connection; podWorkloads() gives each pod's workload identity alone. */
export { analyze, podWorkloads } from "./analyze";
export type { PodWorkload } from "./workloads";
export type { Connection, DirectionTrace, Entity, ExternalEntity, ReachabilityEngine, TierOutcome, TraceStep, WorkloadEntity } from "./evaluate";
/** Output ordering of entities and connections. */
export { compareConnections, compareEntities } from "./evaluate";
export type { PortProtocol } from "./ports";
/** Allowed protocols and ports, with the "TCP 80,443,UDP 53" / "All Connections" text form. */
export { ConnectionSet, parseConnectionSet } from "./ports";

// Output.
export type { OutputFormat } from "./format";
/** Connection lines, JSON and Markdown. */
export { formatConnection, formatConnections, summaryLine } from "./format";

// Why: compiled policies and explained pairs.
export type { Action, CompiledPolicy, CompiledRule, Direction, EntityMatch, TrafficMatch } from "./compile";
/** Prints a compiled policy. */
export { formatPolicy } from "./compile";
export type { EntityReference, Explanation } from "./explain";
/** Explains one pair. */
export { explain, formatExplanation, parseEntityReference } from "./explain";

// Intent checks.
export type { Expectation, ExpectationResult, Requirement } from "./expect";
/** Expectation files. */
export { checkExpectations, formatExpectationResults, parseExpectations } from "./expect";

// Diffs.
export type { ConnectionDiff } from "./diff";
/** Port-level difference between two connection lists. */
export { diffConnections, formatDiff } from "./diff";

// Selectors.
export type { Labels, Selector } from "./selector";
/** The Calico selector language. */
export { SelectorSyntaxError, matchesSelector, parseSelector, selectorText } from "./selector";
