import * as fs from "node:fs";
import { describe, expect, it } from "vitest";
import { checkRemovals, openings, removeFromStackText } from "../../offline/edit";
import { PROJECT_DIR } from "../helpers/stack";
import { EXAMPLE_STACK } from "./fixtures";

const example = () => fs.readFileSync(EXAMPLE_STACK, "utf8");

describe("removing review targets from a stack file", () => {
    it("takes out the FQDN, the workload and its flow with their comments, and leaves every other line as it was", () => {
        const patched = removeFromStackText(example(), EXAMPLE_STACK, [
            { kind: "fqdn", holder: { kind: "workload", namespace: "shop", workload: "backend" }, fqdn: "invoices.legacy-partner.example" },
            { kind: "flow", from: "shop/legacy-reporter", to: "shop/database" },
            { kind: "workload", namespace: "shop", workload: "legacy-reporter" },
        ]);
        // The example is prod plus these entries and a header: removing them gives prod back, byte for byte.
        const prod = fs.readFileSync(`${PROJECT_DIR}/Pulumi.prod.yaml`, "utf8");
        expect(patched).toBe(example().split("\n").slice(0, 3).join("\n") + "\n" + prod);
    });

    it("drops a list (and an egress) that the removal leaves empty", () => {
        const patched = removeFromStackText(example(), EXAMPLE_STACK, [
            { kind: "fqdn", holder: { kind: "workload", namespace: "shop", workload: "backend" }, fqdn: "invoices.legacy-partner.example" },
            { kind: "fqdn", holder: { kind: "workload", namespace: "shop", workload: "backend" }, fqdn: "api.stripe.com" },
            { kind: "fqdn", holder: { kind: "cluster" }, fqdn: "ghcr.io" },
            { kind: "fqdn", holder: { kind: "cluster" }, fqdn: "pkg-containers.githubusercontent.com" },
            { kind: "ingressFrom", holder: { kind: "workload", namespace: "shop", workload: "frontend" }, namespace: "ingress-nginx" },
            { kind: "peer", name: "ingress-nginx" },
        ]);
        expect(patched).not.toMatch(/egress:\n\s+fqdns:\n\s+- fqdn: api/);
        expect(patched).not.toContain("aks-zero-trust:egress:");
        expect(patched).not.toContain("peers:");
        expect(patched).not.toContain("ingressFrom:\n              - namespace: ingress-nginx");
        // The comment above the peers list belonged to them; the rest stays.
        expect(patched).toContain("    infrastructure:\n      - name: monitoring\n");
        expect(patched).toContain("# East-west intent (ADR 008 reference app).");
    });

    it("refuses a target the file does not hold, naming it", () => {
        expect(() => removeFromStackText(example(), EXAMPLE_STACK, [{ kind: "workload", namespace: "shop", workload: "ghost" }])).toThrow(`${EXAMPLE_STACK}: cannot remove workload shop/ghost: not found under aks-zero-trust:segmentation`);
    });
});

describe("a review's security diff may only close", () => {
    const rule = (destination: string, ports = "Https:443") => ({ collection: "workload-egress/workload-fqdns", priority: "300/100", rule: "shop-backend", source: "10.20.16.0/20", destination, ports });
    const plan = (rows: ReturnType<typeof rule>[], lines: string[] = []) => ({ firewallRules: rows, policySets: [], globalPolicies: { count: 5, budget: 20 }, enforcedConnectionLines: lines });

    it("a rule that keeps fewer destinations or ports is a closing; a new destination, port or connection is an opening", () => {
        expect(openings(plan([rule("api.stripe.com, invoices.legacy-partner.example")]), plan([rule("api.stripe.com")]))).toEqual([]);
        expect(openings(plan([rule("api.stripe.com")]), plan([rule("api.stripe.com, files.stripe.com")]))).toEqual([
            "adds FQDN files.stripe.com",
            "firewall rule workload-egress/workload-fqdns/shop-backend allows api.stripe.com, files.stripe.com (Https:443), which no rule allowed before",
        ]);
        expect(openings(plan([rule("api.stripe.com")]), plan([rule("api.stripe.com", "Https:443, Https:8443")]))).toHaveLength(1);
        expect(openings(plan([]), plan([], ["shop/backend[Pod] => shop/database[Pod] : TCP 5432"]))).toEqual(["opens shop/backend[Pod] => shop/database[Pod] : TCP 5432"]);
    });
});

describe("network rule ports in the only-closes check", () => {
    const rule = (ports: string) => ({ collection: "workload-egress/workload-addresses", priority: "300/200", rule: "shop-backend-tcp", source: "10.20.16.0/20", destination: "203.0.113.0/24", ports });
    const plan = (ports: string) => ({ firewallRules: [rule(ports)], policySets: [], globalPolicies: { count: 5, budget: 20 }, enforcedConnectionLines: [] });

    it("fewer ports close, another port opens", () => {
        expect(openings(plan("TCP 443,8443"), plan("TCP 443"))).toEqual([]);
        expect(openings(plan("TCP 443"), plan("TCP 443,8443"))).toHaveLength(1);
    });
});

describe("checking a review's patch", () => {
    const removal = { target: { kind: "fqdn" as const, holder: { kind: "workload" as const, namespace: "shop", workload: "backend" }, fqdn: "invoices.legacy-partner.example" }, evidence: "", confidence: "high" as const, dependents: [] };
    const security = (lines: string[], passed = true) => ({ firewallRules: [], policySets: [], globalPolicies: { count: 5, budget: 20 }, enforcedConnectionLines: lines, intentCheck: { passed, violations: passed ? [] : ["shop/frontend cannot reach shop/backend TCP 80"] } });
    const planned = (lines: string[], passed = true) => ({ policies: [], security: security(lines, passed) });
    const line = "shop/frontend[Pod] => shop/backend[Pod] : TCP 80";

    it("accepts a patch whose plan passes and only closes, planning the stack before and after it", async () => {
        const texts: string[] = [];
        const check = await checkRemovals(example(), EXAMPLE_STACK, "prod", [removal], async (text) => {
            texts.push(text);
            return text.includes("invoices.legacy-partner.example") ? planned([line]) : planned([]);
        });
        expect(check.accepted).toBe(true);
        expect(texts).toHaveLength(2);
        expect(check.patchedText).not.toContain("invoices.legacy-partner.example");
    });

    it("refuses a patch whose plan fails the intent check, or that opens a connection, and says why", async () => {
        const failing = await checkRemovals(example(), EXAMPLE_STACK, "prod", [removal], async (text) => (text.includes("invoices.legacy-partner.example") ? planned([]) : planned([], false)));
        expect(failing.accepted).toBe(false);
        expect(failing.problems).toEqual(["the patched stack's intent check does not pass: shop/frontend cannot reach shop/backend TCP 80"]);
        const opening = await checkRemovals(example(), EXAMPLE_STACK, "prod", [removal], async (text) => (text.includes("invoices.legacy-partner.example") ? planned([]) : planned([line])));
        expect(opening.accepted).toBe(false);
        expect(opening.problems).toEqual([`opens ${line}`]);
    });
});
