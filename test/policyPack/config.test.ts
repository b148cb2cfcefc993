import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { MockRun } from "../../offline/runtime";
import { runPolicies } from "../../offline/runtime";
import { PolicyConfigError, readPolicyPackConfigFile, reconcilePolicyPackConfig } from "../../offline/runtime";
import { DEFAULT_ENFORCEMENT_LEVEL, createPolicies, type Policies, type StackValidationPolicy } from "../../policy-pack/policies";
import { PROJECT_DIR } from "../helpers/stack";

const DEV_CONFIG = path.join(PROJECT_DIR, "policy-pack", "policy-config.dev.json");

const scratchDir = fs.mkdtempSync(path.join(os.tmpdir(), "policy-config-"));
afterAll(() => fs.rmSync(scratchDir, { recursive: true, force: true }));

function scratchFile(text: string): string {
    const file = path.join(scratchDir, "config.json");
    fs.writeFileSync(file, text);
    return file;
}

/** A stack policy that reports the config it was given, with a schema default like a pack author would declare. */
function echoPolicy(): StackValidationPolicy {
    return {
        name: "echo",
        description: "reports its config",
        enforcementLevel: "advisory",
        configSchema: { properties: { threshold: { type: "number", default: 10 }, mode: { type: "string", enum: ["strict", "lenient"] } } },
        validateStack: (args, reportViolation) => reportViolation(JSON.stringify(args.getConfig())),
    };
}

const emptyRun: MockRun = { resources: [] } as unknown as MockRun;

describe("the pack config file (pulumi preview --policy-pack-config, pulumi policy enable --config)", () => {
    it("the dev relaxation parses as the CLI parses it, names only the pack's policies, and fits their schemas", () => {
        const config = readPolicyPackConfigFile(DEV_CONFIG);
        const names = createPolicies().map((policy) => policy.name);
        expect(Object.keys(config).filter((name) => name !== "all" && !names.includes(name))).toEqual([]);
        const reconciled = reconcilePolicyPackConfig(createPolicies({ stackEnvironment: "dev" }), DEFAULT_ENFORCEMENT_LEVEL, config, DEV_CONFIG);
        expect(Object.fromEntries([...reconciled].filter(([, entry]) => entry.enforcementLevel !== "mandatory" || Object.keys(entry.properties).length > 0))).toEqual({
            "aks-api-server-access": { enforcementLevel: "mandatory", properties: { environment: "dev" } },
            "aks-api-server-restricted-in-dev": { enforcementLevel: "advisory", properties: {} },
            "aks-kubernetes-version-support": { enforcementLevel: "advisory", properties: {} },
            "policy-budgets": { enforcementLevel: "advisory", properties: {} },
            "data-tier-egress-dns-only": { enforcementLevel: "advisory", properties: {} },
            "data-tier-ingress-allowlist": { enforcementLevel: "advisory", properties: {} },
            "prod-stateful-resources-protected": { enforcementLevel: "mandatory", properties: { environment: "dev" } },
        });
    });

    it("applies the schema's defaults, then \"all\", then the policy's own entry, as the engine reconciles it", () => {
        const policies: Policies = [echoPolicy()];
        expect(reconcilePolicyPackConfig(policies, "mandatory", undefined).get("echo")).toEqual({ enforcementLevel: "advisory", properties: { threshold: 10 } });
        expect(reconcilePolicyPackConfig(policies, "mandatory", { all: "disabled", echo: { mode: "strict" } }).get("echo")).toEqual({ enforcementLevel: "disabled", properties: { threshold: 10, mode: "strict" } });
        expect(reconcilePolicyPackConfig(policies, "mandatory", { all: { enforcementLevel: "disabled" }, echo: { enforcementLevel: "mandatory", threshold: 3 } }).get("echo")).toEqual({ enforcementLevel: "mandatory", properties: { threshold: 3 } });
    });

    it("hands the policies what getConfig() returns in the running pack: defaults included", () => {
        const [withDefault] = runPolicies([echoPolicy()], emptyRun, { stack: "dev" });
        expect(withDefault.violations.map((violation) => JSON.parse(violation.message))).toEqual([{ threshold: 10 }]);
        const [configured] = runPolicies([echoPolicy()], emptyRun, { stack: "dev", config: { echo: { mode: "lenient", threshold: 1 } } });
        expect(configured.violations.map((violation) => JSON.parse(violation.message))).toEqual([{ threshold: 1, mode: "lenient" }]);
    });

    it("rejects what the CLI rejects, naming the file and the policy property", () => {
        expect(() => readPolicyPackConfigFile(scratchFile(`{"aks-network-profile": "warn"}`))).toThrow(/config\.json: aks-network-profile: expected an enforcement level \(advisory, mandatory, remediate, disabled\), found "warn"/);
        expect(() => readPolicyPackConfigFile(scratchFile(`{"aks-network-profile": 3}`))).toThrow(/aks-network-profile: expected a level or an object, found 3/);
        expect(() => readPolicyPackConfigFile(scratchFile(`{"aks-network-profile": `))).toThrow(/config\.json: not JSON/);
        expect(readPolicyPackConfigFile(scratchFile("  \n"))).toEqual({});
        const staging = readPolicyPackConfigFile(scratchFile(`{"aks-api-server-access": {"environment": "staging"}}`));
        expect(() => reconcilePolicyPackConfig(createPolicies(), DEFAULT_ENFORCEMENT_LEVEL, staging, "config.json")).toThrow(PolicyConfigError);
        expect(() => reconcilePolicyPackConfig(createPolicies(), DEFAULT_ENFORCEMENT_LEVEL, staging, "config.json")).toThrow(`config.json: aks-api-server-access.environment: expected one of "dev", "prod", found "staging"`);
        expect(() => reconcilePolicyPackConfig([echoPolicy()], "mandatory", { echo: { threshold: "ten" } })).toThrow(/echo\.threshold: expected number, found "ten"/);
    });
});
