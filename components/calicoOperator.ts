import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { tigeraOperatorInstall, type CalicoRelease } from "../core/calico";

/** Arguments of self-managed Calico. */
export interface CalicoOperatorArgs {
    /** The pinned Calico release (stack config cluster.calico.version). */
    readonly release: CalicoRelease;
}

/**
 * Self-managed Calico: the Tigera operator from its pinned Helm chart, then Installation (AKS, AzureVNET),
 * APIServer, Goldmane and Whisker (core/calico/tigeraOperator.ts). `apiServer` resolves once the Calico API server
 * is ready (its `pulumi.com/waitFor` annotation): every projectcalico.org/v3 object depends on it.
 */
export class CalicoOperator extends pulumi.ComponentResource {
    /** The operator's Helm release. */
    public readonly release: k8s.helm.v3.Release;
    /** The APIServer resource; ready means projectcalico.org/v3 is served. */
    public readonly apiServer: pulumi.CustomResource;

    constructor(name: string, args: CalicoOperatorArgs, opts: pulumi.ComponentResourceOptions & { provider: k8s.Provider }) {
        super("aks-zero-trust:calico:CalicoOperator", name, {}, opts);
        const install = tigeraOperatorInstall(args.release);
        const childOptions = { parent: this, provider: opts.provider };
        this.release = new k8s.helm.v3.Release(`${name}-tigera-operator`, {
            name: "calico",
            chart: install.chart.chart,
            version: install.chart.version,
            repositoryOpts: { repo: install.chart.repository },
            namespace: install.chart.namespace,
            createNamespace: true,
            values: install.chart.values,
        }, childOptions);
        const resources = install.resources.map((object) => new k8s.apiextensions.CustomResource(`${name}-${object.kind.toLowerCase()}`, {
            apiVersion: object.apiVersion,
            kind: object.kind,
            metadata: object.metadata,
            ...(object.spec ? { spec: object.spec } : {}),
        }, { ...childOptions, dependsOn: [this.release] }));
        this.apiServer = resources.find((resource, index) => install.resources[index]!.kind === "APIServer")!;
        this.registerOutputs({ calicoVersion: args.release.version, chartVersion: install.chart.version });
    }
}
