import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { readStackConfig } from "../../core/config";
import { projectConfigValues } from "../../core/config";
import { runProgramOffline } from "../../offline/runtime";
import { runPolicyPack } from "../../offline/runtime";
import { buildSecurityReport } from "../../offline/report";
import { parseStackFile } from "../../offline/runtime";
import { checkProposals, type PlanStack } from "../../offline/edit";
import { PROJECT_DIR } from "../helpers/stack";

/** Plans in this process, as `npm run plan` does; Pulumi's runtime allows one program run per process. */
function planOnceInProcess(): PlanStack {
    let used = false;
    return async (text) => {
        if (used) throw new Error("this test process can plan once");
        used = true;
        const config = parseStackFile(text, "Pulumi.dev.yaml");
        const run = await runProgramOffline({ stack: "dev", config });
        const stackConfig = readStackConfig(projectConfigValues(config), "dev");
        return { policies: runPolicyPack(run, { stack: "dev", environment: stackConfig.environment }), security: buildSecurityReport(run, stackConfig) };
    };
}

describe("guardrails on proposals", () => {
    it("refuses internet egress for a tier=data workload by the intent validation, naming the key, without planning it", async () => {
        const devText = fs.readFileSync(path.join(PROJECT_DIR, "Pulumi.dev.yaml"), "utf8");
        const proposal = { kind: "egressCidr", workload: "shop/database", cidr: "203.0.113.50/32", port: { protocol: "TCP", port: 443 } } as const;
        const result = await checkProposals(devText, "Pulumi.dev.yaml", "dev", [proposal], planOnceInProcess());
        expect(result.verdicts.get("egress shop/database -> 203.0.113.50/32 TCP/443")).toEqual([
            {
                guardrail: "intent validation",
                message: "aks-zero-trust:segmentation.namespaces[shop].workloads[database].egress.cidrs[0].cidr: 203.0.113.50/32 is an internet range, but workload shop/database is tier=data; set allowDataTierInternetEgress: true to override",
            },
        ]);
        expect(result.accepted).toEqual([]);
        expect(result.acceptedText).toBe(devText);
        // The stack as it is plans clean: nothing the proposal is blamed for was there before.
        expect(result.before.security.intentCheck?.passed).toBe(true);
    });
});
