import * as fs from "node:fs";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { MockRun } from "../../offline/runtime";
import { hasMandatoryViolations, policyResultsText, runPolicyPack } from "../../offline/runtime";
import type { PolicyPackConfig } from "../../policy-pack/policies";
import { runStack, stackConfig } from "../helpers/stack";

/** Prod, with the database given internet egress through the intent's explicit override. */
function prodWithDatabaseBackups(): Record<string, string> {
    const config = stackConfig("prod");
    const segmentation = JSON.parse(config["aks-zero-trust:segmentation"]);
    const database = segmentation.namespaces[0].workloads[2];
    expect(database.name).toBe("database");
    database.egress = { fqdns: [{ fqdn: "backup.example.com" }] };
    database.allowDataTierInternetEgress = true;
    return { ...config, "aks-zero-trust:segmentation": JSON.stringify(segmentation) };
}

describe("policy pack on prod with a data tier allowed out by the config override", () => {
    let run: MockRun;
    beforeAll(async () => {
        run = await runStack("prod", prodWithDatabaseBackups());
    });

    it("the config accepts the override, the pack does not: data-tier-egress-dns-only fails, mandatory, with the remedy", () => {
        const results = runPolicyPack(run, { stack: "prod", environment: "prod" });
        const failed = results.filter((result) => result.violations.length > 0);
        expect(failed).toEqual([{
            policy: "data-tier-egress-dns-only",
            enforcementLevel: "mandatory",
            violations: [{
                message: "shop/database => 0.0.0.0-9.255.255.255, 11.0.0.0-100.63.255.255, 100.128.0.0-168.63.129.15, 168.63.129.17-169.253.255.255, 169.255.0.0-172.15.255.255, 172.32.0.0-192.167.255.255, 192.169.0.0-255.255.255.255 : TCP 443. "
                    + "The data tier may only reach DNS (kube-system/kube-dns, or AKS LocalDNS, on port 53): remove its egress (segmentation egress.fqdns / egress.cidrs, the allowDataTierInternetEgress override, flows from it).",
            }],
        }]);
        expect(hasMandatoryViolations(results)).toBe(true);
        expect(policyResultsText(results)).toContain("FAIL  data-tier-egress-dns-only (mandatory)\n      - shop/database => 0.0.0.0-9.255.255.255, ");
    });

    it("a stack that accepts the risk relaxes the policy in its pack config", () => {
        const config = JSON.parse(fs.readFileSync(path.resolve(__dirname, "..", "..", "policy-pack", "policy-config.dev.json"), "utf8")) as PolicyPackConfig;
        const results = runPolicyPack(run, { stack: "prod", environment: "prod", config: { "data-tier-egress-dns-only": config["data-tier-egress-dns-only"] } });
        expect(hasMandatoryViolations(results)).toBe(false);
        expect(policyResultsText(results).split("\n").at(-1)).toBe("17 policies: 16 passed, 1 advisory warnings, 0 mandatory violations");
    });
});
