import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import type { KubeObject } from "../core/calico";
import { BASELINE_POLICY, PLATFORM_TIER } from "../core/policies";
import { applyObject } from "./namespacePolicySet";

/** Arguments of the infrastructure policies. */
export interface InfrastructurePoliciesArgs {
    /** Rendered Calico GlobalNetworkPolicies. */
    readonly globalPolicies: readonly KubeObject[];
    /** Calico tiers the policies live in (self-managed Calico), created before any policy. */
    readonly tiers?: readonly KubeObject[];
    /** Namespace sets whose namespaces must exist first (the policies select them by label), and the Calico API server when self-managed. */
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
        const isBaseline = (object: KubeObject) => object.metadata.name === BASELINE_POLICY || object.metadata.name === `${PLATFORM_TIER}.${BASELINE_POLICY}`;
        const allowances = args.globalPolicies.filter((object) => !isBaseline(object));
        const baseline = args.globalPolicies.filter(isBaseline);
        // The API server refuses a policy whose tier does not exist yet.
        const tiers = (args.tiers ?? []).map((object) => applyObject(name, object, { parent: this, provider: opts.provider, dependsOn: args.after }));
        const after = [...args.after, ...tiers];
        const applied = allowances.map((object) => applyObject(name, object, { parent: this, provider: opts.provider, dependsOn: after }));
        this.policies = [...applied, ...baseline.map((object) => applyObject(name, object, { parent: this, provider: opts.provider, dependsOn: [...after, ...applied] }))];
        this.registerOutputs({ policyCount: this.policies.length });
    }
}
