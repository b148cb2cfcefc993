import { describe, expect, it } from "vitest";
import { ApiAccess, waitForApiAccess } from "../core/apiAccess";

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
