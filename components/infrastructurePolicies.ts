import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import type { KubeObject } from "../core/calicoApi";
import { applyObject } from "./namespacePolicySet";

/** Arguments of the infrastructure policies. */
export interface InfrastructurePoliciesArgs {
    /** Rendered Calico GlobalNetworkPolicies. */
    readonly globalPolicies: readonly KubeObject[];
    /** Namespace sets whose namespaces must exist first (the policies select them by label). */
    readonly after: pulumi.Resource[];
}

/** Calico global policies for monitoring and logging namespaces (ADR 008, layer 5). */
export class InfrastructurePolicies extends pulumi.ComponentResource {
    /** The applied global policies. */
    public readonly policies: pulumi.CustomResource[];

    constructor(name: string, args: InfrastructurePoliciesArgs, opts: pulumi.ComponentResourceOptions & { provider: k8s.Provider }) {
        super("aks-zero-trust:policy:InfrastructurePolicies", name, {}, opts);
        this.policies = args.globalPolicies.map((object) => applyObject(name, object, { parent: this, provider: opts.provider, dependsOn: args.after }));
        this.registerOutputs({ policyCount: this.policies.length });
    }
}
