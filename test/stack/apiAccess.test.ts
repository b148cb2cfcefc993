import { afterEach, describe, expect, it } from "vitest";
import { httpsApiAccessProbe, kubeconfigOnceAuthorized, useApiAccessProbe } from "../../components/kubernetesApiAccess";
import { ApiAccess, waitForApiAccess } from "../../core/azure";

/** A probe that answers from a script, and a sleep that only records how long it was asked to wait. */
function scripted(answers: ApiAccess[]) {
    const slept: number[] = [];
    let calls = 0;
    return {
        probe: async () => answers[Math.min(calls++, answers.length - 1)],
        sleep: async (ms: number) => { slept.push(ms); },
        slept,
        calls: () => calls,
    };
}

describe("waiting for the deployer's Kubernetes RBAC to propagate", () => {
    it("goes on as soon as the API server allows the deployer, without waiting", async () => {
        const script = scripted(["allowed"]);
        expect(await waitForApiAccess(script.probe, { attempts: 5, delayMs: 1000 }, script.sleep)).toBe(1);
        expect(script.slept).toEqual([]);
    });

    it("retries 403 and 401 answers, pausing between attempts, until the role assignment takes effect", async () => {
        const script = scripted(["forbidden", "unauthorized", "forbidden", "allowed"]);
        expect(await waitForApiAccess(script.probe, { attempts: 5, delayMs: 1000 }, script.sleep)).toBe(4);
        expect(script.slept).toEqual([1000, 1000, 1000]);
    });

    it("gives up after the bound with a message that says what to check", async () => {
        const script = scripted(["forbidden"]);
        await expect(waitForApiAccess(script.probe, { attempts: 3, delayMs: 1000 }, script.sleep)).rejects.toThrow(
            "the API server still answers 403 Forbidden to the deploying identity after 2s; check its Azure Kubernetes Service RBAC Cluster Admin assignment on the cluster",
        );
        expect(script.calls()).toBe(3);
    });

    it("does not retry a probe that fails outright (network error)", async () => {
        const sleep = async () => undefined;
        await expect(waitForApiAccess(async () => { throw new Error("ECONNREFUSED"); }, { attempts: 3, delayMs: 1 }, sleep)).rejects.toThrow("ECONNREFUSED");
    });
});

describe("the RBAC readiness check around a Pulumi run", () => {
    const kubeconfig = [
        "apiVersion: v1",
        "kind: Config",
        "clusters:",
        // Port 1 on the loopback address: nothing listens, so the connection is refused at once, without a network.
        "- name: aks",
        "  cluster:",
        "    server: https://127.0.0.1:1",
        "",
    ].join("\n");

    afterEach(() => useApiAccessProbe(httpsApiAccessProbe));

    function recordingProbe() {
        const calls: string[] = [];
        useApiAccessProbe(async (_config, token) => { calls.push(token); return "allowed"; });
        return calls;
    }

    it("a preview never asks the API server, so it neither waits nor fails on an identity or runner without access", async () => {
        const calls = recordingProbe();
        expect(await kubeconfigOnceAuthorized(kubeconfig, "token", true)).toBe(kubeconfig);
        expect(calls).toEqual([]);
    });

    it("an update asks the API server before it hands out the kubeconfig", async () => {
        const calls = recordingProbe();
        expect(await kubeconfigOnceAuthorized(kubeconfig, "token", false)).toBe(kubeconfig);
        expect(calls).toEqual(["token"]);
    });

    it("an unreachable API server fails at once with what to fix, not after the propagation bound", async () => {
        await expect(httpsApiAccessProbe(kubeconfig, "token")).rejects.toThrow(
            /cannot reach the API server https:\/\/127\.0\.0\.1:1 from this machine \(.*ECONNREFUSED.*\); a private cluster needs a runner inside its network, a public one needs the runner's address in aks-zero-trust:cluster\.apiServer\.authorizedIpRanges/,
        );
    });
});
