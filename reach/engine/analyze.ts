/** The analyzer's front door: manifest objects in, connections out. */
import { type CompiledPolicy, compilePolicies } from "./compile";
import type { Warning } from "../input";
import { type Connection, type ExternalEntity, ReachabilityEngine, type WorkloadEntity } from "./evaluate";
import type { ManifestObject } from "../input";
import { buildModel, type Endpoint, type StagedPolicyInfo } from "./model";
import type { PodWorkload } from "../input";

/** Everything the analyzer found. */
export interface Analysis {
    /** Allowed connections, sorted by source then destination. */
    readonly connections: readonly Connection[];
    /** Workloads (and the API server pseudo-endpoint when a rule names it), sorted. */
    readonly workloads: readonly WorkloadEntity[];
    /** External IPv4 ranges: a partition of the address space, neighbours with identical connectivity merged. */
    readonly externals: readonly ExternalEntity[];
    /** Compiled policies in evaluation order (printable with formatPolicy). */
    readonly policies: readonly CompiledPolicy[];
    /** The workload each pod is reported as (`namespace/name[Kind]`), sorted by namespace and pod name. */
    readonly podWorkloads: readonly PodWorkload[];
    /** Calico staged policies in the input: read, not enforced (enforceStagedPolicies gives the view with them enforced). */
    readonly stagedPolicies: readonly StagedPolicyInfo[];
    /** Non-fatal problems (unsupported kinds, unanalysed IPv6, ...). */
    readonly warnings: readonly Warning[];
    /** The compiled cluster, for explain(). */
    readonly engine: ReachabilityEngine;
}

/** Computes every allowed connection between workloads, and between workloads and external ranges. Throws InputError on bad input. */
export function analyze(objects: readonly ManifestObject[]): Analysis {
    const model = buildModel(objects);
    const compiled = compilePolicies(model);
    const engine = new ReachabilityEngine(model, compiled.policies);
    const { connections, externals } = engine.connections();
    return {
        connections,
        workloads: engine.entities,
        externals,
        policies: compiled.policies,
        podWorkloads: model.podWorkloads,
        stagedPolicies: model.stagedPolicies,
        warnings: [...model.warnings, ...compiled.warnings, ...engine.warnings],
        engine,
    };
}

/**
 * The workload identity of every pod in the objects, without computing connectivity: each pod under its
 * controlling owner, resolved up the chain as far as the owners are present (Pod → ReplicaSet → Deployment,
 * Pod → Job → CronJob); bare pods as themselves. Names match `analyze()`'s entities. Throws InputError on bad input.
 */
export function podWorkloads(objects: readonly ManifestObject[]): readonly PodWorkload[] {
    return buildModel(objects).podWorkloads;
}

/**
 * The workloads of the objects, without computing connectivity: pods under their controlling owner (as
 * `podWorkloads`), and the pod templates of controllers that have no pod in the objects (a Deployment scaled to
 * zero, a CronJob between runs) as workloads with no pods. Throws InputError on bad input.
 */
export function workloadEndpoints(objects: readonly ManifestObject[]): readonly Endpoint[] {
    return buildModel(objects).workloads;
}
