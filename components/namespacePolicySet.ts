import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import type { KubeObject } from "../core/calico";
import type { NamespacePolicySetPlan } from "../core/policies";

/** Arguments of a namespace's policy set. */
export interface NamespacePolicySetArgs {
    /** The rendered set (Namespace, allows, denies). */
    readonly plan: NamespacePolicySetPlan;
    /** Resources every policy waits for (self-managed Calico: the ready Calico API server). */
    readonly after?: pulumi.Resource[];
}

/**
 * One app namespace and its zero-trust policy set. The Namespace comes first; the allow policies next;
 * the denied-flow logger and then the default deny last, so that a new set never blocks flows it is about to allow
 * and never denies without logging.
 */
export class NamespacePolicySet extends pulumi.ComponentResource {
    /** The namespace. */
    public readonly namespace: k8s.core.v1.Namespace;
    /** Every policy of the set. */
    public readonly policies: pulumi.CustomResource[];

    constructor(name: string, args: NamespacePolicySetArgs, opts: pulumi.ComponentResourceOptions & { provider: k8s.Provider }) {
        super("aks-zero-trust:policy:NamespacePolicySet", name, {}, opts);
        const { plan } = args;
        const childOptions = { parent: this, provider: opts.provider };

        this.namespace = new k8s.core.v1.Namespace(`${name}-namespace`, {
            metadata: { name: plan.namespaceObject.metadata.name, labels: plan.namespaceObject.metadata.labels },
        }, childOptions);

        const after = args.after ?? [];
        const allows = plan.allowPolicies.map((object) => applyObject(name, object, { ...childOptions, dependsOn: [this.namespace, ...after] }));
        // A chain: each deny policy depends on the previous one, so `default-deny-all` is created after
        // `log-denied` and deleted before it (no window in which audit mode enforces without logging).
        const denies: pulumi.CustomResource[] = [];
        for (const object of plan.denyPolicies) {
            denies.push(applyObject(name, object, { ...childOptions, dependsOn: [this.namespace, ...after, ...allows, ...denies.slice(-1)] }));
        }
        this.policies = [...allows, ...denies];
        this.registerOutputs({ namespace: plan.namespace, policyCount: this.policies.length });
    }
}

/** Applies one rendered policy: a typed NetworkPolicy, or a Calico custom resource. */
export function applyObject(owner: string, object: KubeObject, opts: pulumi.CustomResourceOptions): pulumi.CustomResource {
    const resourceName = `${owner}-${object.kind.toLowerCase()}-${object.metadata.name}`;
    if (object.apiVersion === "networking.k8s.io/v1" && object.kind === "NetworkPolicy") {
        return new k8s.networking.v1.NetworkPolicy(resourceName, { metadata: object.metadata, spec: object.spec as unknown as k8s.types.input.networking.v1.NetworkPolicySpec }, opts);
    }
    return new k8s.apiextensions.CustomResource(resourceName, { apiVersion: object.apiVersion, kind: object.kind, metadata: object.metadata, spec: object.spec }, opts);
}
