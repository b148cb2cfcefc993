import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import type { KubeObject } from "../core/calico";
import { BASELINE_POLICY } from "../core/policies";
import { applyObject } from "./namespacePolicySet";

/** Arguments of the infrastructure policies. */
export interface InfrastructurePoliciesArgs {
    /** Rendered Calico GlobalNetworkPolicies. */
    readonly globalPolicies: readonly KubeObject[];
    /** Namespace sets whose namespaces must exist first (the policies select them by label). */
    readonly after: pulumi.Resource[];
}

/** Calico global policies: infrastructure and peer allowances (ADR 008, layer 5), then the cluster baseline. */
export class InfrastructurePolicies extends pulumi.ComponentResource {
    /** The applied global policies. */
    public readonly policies: pulumi.CustomResource[];

    constructor(name: string, args: InfrastructurePoliciesArgs, opts: pulumi.ComponentResourceOptions & { provider: k8s.Provider }) {
        super("aks-zero-trust:policy:InfrastructurePolicies", name, {}, opts);
        // The baseline denies what the allowances do not allow: it comes after them (and goes before them), so a
        // rollout never isolates a peer or infrastructure namespace whose allowances are not there yet.
        const allowances = args.globalPolicies.filter((object) => object.metadata.name !== BASELINE_POLICY);
        const baseline = args.globalPolicies.filter((object) => object.metadata.name === BASELINE_POLICY);
        const applied = allowances.map((object) => applyObject(name, object, { parent: this, provider: opts.provider, dependsOn: args.after }));
        this.policies = [...applied, ...baseline.map((object) => applyObject(name, object, { parent: this, provider: opts.provider, dependsOn: [...args.after, ...applied] }))];
        this.registerOutputs({ policyCount: this.policies.length });
    }
}
