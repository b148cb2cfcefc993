/**
 * Reachability engine for Kubernetes NetworkPolicies and Calico policies: given plain Kubernetes objects,
 * computes which workload can reach which (and which external IPv4 ranges), on which protocols and ports,
 * and why. No Pulumi dependency: the plan, the pull-request security diff and the policy pack share it.
 */

// Input: manifests with their source locations.
export type { FieldPath, SourceLocation, Warning } from "./input";
/** A mistake in user input; its message reads "file:line: reason". */
export { InputError, formatWarning } from "./input";
export type { LoadResult, ManifestObject } from "./input";
/** Parses multi-document YAML text into manifest objects with locations. */
export { loadManifestPaths, parseManifests } from "./input";
/** Calico staged policies: the as-enforced view (every staged policy applied as its stagedAction says). */
export { STAGED_KINDS, enforceStagedPolicies, isStagedPolicy } from "./input";

// Analysis.
export type { Analysis } from "./engine";
/** Computes every allowed connection; podWorkloads() gives each pod's workload identity alone. */
export { analyze, podWorkloads, workloadEndpoints } from "./engine";
export type { Endpoint } from "./engine";
export type { PodWorkload } from "./input";
export type { Connection, DirectionTrace, Entity, ExternalEntity, ReachabilityEngine, TierOutcome, TraceStep, WorkloadEntity } from "./engine";
/** Output ordering of entities and connections. */
export { compareConnections, compareEntities } from "./engine";
export type { PortProtocol } from "./engine";
/** Allowed protocols and ports, with the "TCP 80,443,UDP 53" / "All Connections" text form. */
export { ConnectionSet, parseConnectionSet } from "./engine";

// Output.
export type { OutputFormat, PresentationOptions } from "./output";
/** Connection lines, JSON and Markdown; self pairs left out and external ranges merged as users read them. */
export { formatConnection, formatConnections, parseConnectionLine, parseEntityDisplay, presentConnections, summaryLine } from "./output";
export type { AddressName, AddressNames, NamedExternalEntity } from "./output";
/** Names for address sets (the stack's internet, VNet, pod CIDR), printed instead of their fragments. */
export { ADDRESS_NAMES_KIND, compileAddressNames, isNamedEntity, parseAddressNames, takeAddressNames } from "./output";

// Why: compiled policies and explained pairs.
export type { Action, CompiledPolicy, CompiledRule, Direction, EntityMatch, TrafficMatch } from "./engine";
/** Prints a compiled policy. */
export { formatPolicy } from "./engine";
export type { EntityReference, Explanation } from "./output";
/** Explains one pair. */
export { explain, formatExplanation, parseEntityReference } from "./output";

// Intent checks.
export type { Expectation, ExpectationResult, Requirement } from "./output";
/** Expectation files. */
export { checkExpectations, formatExpectationResults, parseExpectations } from "./output";

// Diffs.
export type { ConnectionDiff } from "./output";
/** Port-level difference between two connection lists. */
export { diffConnections, formatDiff } from "./output";

// Selectors.
export type { Labels, Selector } from "./input";
/** The Calico selector language. */
export { SelectorSyntaxError, matchesSelector, parseSelector, selectorText } from "./input";
export type { LabelSelectorInput } from "./input";
/** Kubernetes LabelSelectors, translated into the same selector tree. */
export { compileLabelSelector } from "./input";
