/**
 * Waiting for the deployer's Kubernetes RBAC to take effect. Azure RBAC for Kubernetes authorization can take up
 * to five minutes to propagate after a role assignment is created (AKS docs, "Use Azure RBAC for Kubernetes
 * authorization", articles/aks/entra-id-authorization.md: "New role assignments can take up to five
 * minutes to propagate"), so the first `pulumi up` would get 403s on the in-cluster objects and pass only on a retry.
 * The shell asks the API server until it answers, within a bound; this loop is the pure part.
 */

/** What one probe of the API server found. */
export type ApiAccess = "allowed" | "forbidden" | "unauthorized";

/** How long to keep asking. */
export interface ApiAccessWait {
    /** Attempts before giving up. */
    readonly attempts: number;
    /** Pause between attempts, in milliseconds. */
    readonly delayMs: number;
}

/** Ten minutes, every 15 seconds: twice the documented propagation time. */
export const DEFAULT_API_ACCESS_WAIT: ApiAccessWait = { attempts: 40, delayMs: 15_000 };

/**
 * Probes until the API server allows the deployer, pausing between attempts. Resolves with the number of
 * attempts it took; rejects with a message naming the last answer when the bound runs out. A probe that throws
 * (network error) ends the wait at once: that is not a propagation delay.
 */
export async function waitForApiAccess(probe: () => Promise<ApiAccess>, wait: ApiAccessWait, sleep: (ms: number) => Promise<void>): Promise<number> {
    let last: ApiAccess = "forbidden";
    for (let attempt = 1; attempt <= wait.attempts; attempt++) {
        last = await probe();
        if (last === "allowed") {
            return attempt;
        }
        if (attempt < wait.attempts) {
            await sleep(wait.delayMs);
        }
    }
    const waited = Math.round(((wait.attempts - 1) * wait.delayMs) / 1000);
    throw new Error(`the API server still answers ${last === "forbidden" ? "403 Forbidden" : "401 Unauthorized"} to the deploying identity after ${waited}s; check its Azure Kubernetes Service RBAC Cluster Admin assignment on the cluster`);
}
