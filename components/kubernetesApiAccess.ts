import * as https from "node:https";
import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import { ApiAccess, DEFAULT_API_ACCESS_WAIT, waitForApiAccess } from "../core/azure";

/**
 * Entra ID application that AKS's API server accepts tokens for (the `--server-id` kubelogin passes). azure-native's
 * getClientToken uses its `endpoint` verbatim and asks for the scope `<endpoint>/.default`
 * (pulumi-azure-native provider/pkg/provider/provider.go, tokenEndpoint), so passing this id yields an AKS token.
 */
export const AKS_AAD_SERVER_APP_ID = "6dae42f8-4368-4678-94ff-3960e28e3630";

/** Asks the API server whether a bearer token may list namespaces, which the cluster-admin role allows. */
export type ApiAccessProbe = (kubeconfig: string, token: string) => Promise<ApiAccess>;

/** The real probe: one HTTPS request to the kubeconfig's server, trusting only its CA. */
export const httpsApiAccessProbe: ApiAccessProbe = (kubeconfig, token) => {
    const { server, certificateAuthority } = clusterOf(kubeconfig);
    return new Promise((resolve, reject) => {
        const request = https.request(new URL("/api/v1/namespaces?limit=1", server), {
            method: "GET",
            ca: certificateAuthority,
            headers: { authorization: `Bearer ${token}`, accept: "application/json" },
            timeout: 30_000,
        }, (response) => {
            response.resume();
            const status = response.statusCode ?? 0;
            if (status === 200) resolve("allowed");
            else if (status === 403) resolve("forbidden");
            else if (status === 401) resolve("unauthorized");
            else reject(new Error(`the API server ${server} answered ${status} to the RBAC readiness check`));
        });
        request.on("timeout", () => request.destroy(new Error("no answer within 30s")));
        // Not a propagation delay: the runner cannot reach the API server at all, so waiting would not help.
        request.on("error", (error) => reject(new Error(`cannot reach the API server ${server} from this machine (${error.message}); `
            + "a private cluster needs a runner inside its network, a public one needs the runner's address in "
            + "aks-zero-trust:cluster.apiServer.authorizedIpRanges")));
        request.end();
    });
};

/**
 * The replacement probe lives on the process's global object, not in this module: the compiled command lines
 * (dist/cli/*.js) and the compiled program (dist/index.js) are separate bundles, each with its own copy of this
 * module, and the offline runner in one must reach the program in the other.
 */
const PROBE_OVERRIDE = Symbol.for("aks-zero-trust.apiAccessProbe");
type ProbeHolder = { [PROBE_OVERRIDE]?: ApiAccessProbe };

/** Replaces the probe for this process (the offline plan has no cluster to ask). */
export function useApiAccessProbe(replacement: ApiAccessProbe): void {
    (globalThis as ProbeHolder)[PROBE_OVERRIDE] = replacement;
}

function currentProbe(): ApiAccessProbe {
    return (globalThis as ProbeHolder)[PROBE_OVERRIDE] ?? httpsApiAccessProbe;
}

/**
 * Resolves with the kubeconfig once the deploying identity's Kubernetes RBAC works, so that everything applied
 * through a provider built from it waits for the role assignment to propagate (core/azure/apiAccess.ts).
 * A preview applies nothing, so it has nothing to wait for: it resolves at once. Otherwise a preview of an existing
 * stack would ask the API server, and fail or wait the whole bound when the previewing identity may only read, or
 * runs outside a private cluster's network or the authorized IP ranges.
 */
export async function kubeconfigOnceAuthorized(kubeconfig: string, token: string, preview: boolean = pulumi.runtime.isDryRun()): Promise<string> {
    if (preview) {
        return kubeconfig;
    }
    const probe = currentProbe();
    await waitForApiAccess(() => probe(kubeconfig, token), DEFAULT_API_ACCESS_WAIT, (ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    return kubeconfig;
}

function clusterOf(kubeconfig: string): { server: string; certificateAuthority?: string } {
    const document = parse(kubeconfig) as { clusters?: Array<{ cluster?: { server?: string; "certificate-authority-data"?: string } }> };
    const cluster = document.clusters?.[0]?.cluster;
    if (!cluster?.server) {
        throw new Error("the AKS kubeconfig names no API server");
    }
    const ca = cluster["certificate-authority-data"];
    return { server: cluster.server, certificateAuthority: ca ? Buffer.from(ca, "base64").toString("utf8") : undefined };
}
