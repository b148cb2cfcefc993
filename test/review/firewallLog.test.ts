import { describe, expect, it } from "vitest";
import { parseFirewallLog } from "../../core/evidence";
import { APPLICATION_LOG, exportRows } from "./fixtures";

describe("reading Azure Firewall log exports", () => {
    it("reads the review query's rows as az prints them (every value a string)", () => {
        const rows = parseFirewallLog(JSON.stringify(exportRows(APPLICATION_LOG), null, 2), "app.json");
        expect(rows).toHaveLength(9);
        expect(rows[7]).toEqual({
            table: "AZFWApplicationRule",
            action: "Allow",
            policy: "afwp-zt-prod",
            ruleCollectionGroup: "workload-egress",
            ruleCollection: "workload-fqdns",
            rule: "shop-backend",
            protocol: "HTTPS",
            fqdn: "api.stripe.com",
            firstSeen: "2026-09-01T00:09:17.470Z",
            lastSeen: "2026-11-30T23:50:05.170Z",
            hits: 18234,
            at: "app.json:93 (row 8)",
        });
        // A request no rule matched: no policy, collection or rule.
        expect(rows[8]).toEqual(expect.objectContaining({ action: "Deny", fqdn: "telemetry.example.net" }));
        expect(rows[8].rule).toBeUndefined();
    });

    it("reads raw rows (TimeGenerated, numbers as numbers, the Type column) and the query API's tables shape alike", () => {
        const raw = JSON.stringify([
            { TimeGenerated: "2026-11-30T10:00:00Z", Type: "AZFWNetworkRule", Protocol: "TCP", SourceIp: "10.20.16.4", SourcePort: 51515, DestinationIp: "20.50.65.82", DestinationPort: 443, Action: "Allow", Policy: "afwp-zt-prod", RuleCollectionGroup: "aks-required", RuleCollection: "aks-network", Rule: "azure-monitor-tcp-443" },
        ]);
        const api = JSON.stringify({
            tables: [{
                name: "PrimaryResult",
                columns: [{ name: "TimeGenerated", type: "datetime" }, { name: "Fqdn", type: "string" }, { name: "Action", type: "string" }, { name: "DestinationPort", type: "int" }],
                rows: [["2026-11-30T10:00:00Z", "API.Stripe.com", "Allow", 443]],
            }],
        }, null, 2);
        expect(parseFirewallLog(raw, "raw.json")[0]).toEqual(expect.objectContaining({ table: "AZFWNetworkRule", destinationIp: "20.50.65.82", destinationPort: 443, firstSeen: "2026-11-30T10:00:00.000Z", lastSeen: "2026-11-30T10:00:00.000Z", hits: 1 }));
        expect(parseFirewallLog(api, "api.json")[0]).toEqual(expect.objectContaining({ table: "AZFWApplicationRule", fqdn: "api.stripe.com", destinationPort: 443, at: "api.json:24 (row 1)" }));
    });

    it("reports a malformed row with its file, line and position", () => {
        const rows = exportRows(APPLICATION_LOG);
        const bad = (index: number, change: Record<string, unknown>) => () => {
            const copy: unknown[] = rows.map((row) => ({ ...row }));
            copy[index] = { ...(copy[index] as object), ...change };
            return parseFirewallLog(JSON.stringify(copy, null, 2), "app.json");
        };
        expect(bad(2, { LastSeen: "yesterday" })).toThrow("app.json:28: row 3: LastSeen is \"yesterday\", not an ISO 8601 time such as 2026-12-01T10:00:00Z");
        expect(bad(4, { FirstSeen: undefined, LastSeen: undefined })).toThrow('app.json:54: row 5: expected "TimeGenerated", or "FirstSeen" and "LastSeen" as the quarterly review\'s query projects them');
        expect(bad(0, { DestinationPort: "https" })).toThrow('app.json:2: row 1: DestinationPort is "https", not a port number');
        expect(bad(1, { Action: "" })).toThrow('app.json:15: row 2: expected an "Action" column (Allow or Deny), as AZFWApplicationRule has');
        expect(bad(1, { Hits: "many" })).toThrow('app.json:15: row 2: Hits is "many", not a count');
        expect(bad(3, { Type: "AZFWDnsQuery" })).toThrow("app.json:41: row 4: a row of AZFWDnsQuery; review reads AZFWApplicationRule and AZFWNetworkRule");
        expect(bad(3, { Fqdn: undefined })).toThrow("app.json:41: row 4: cannot tell the table");
        expect(() => parseFirewallLog('[{"Fqdn": "a.example.com", "Action": "Allow", "TimeGenerated": "2026-11-30T10:00:00Z"}, 7]', "app.json")).toThrow("app.json:1: row 2: expected an object per row");
        expect(() => parseFirewallLog('{"value": []}', "app.json")).toThrow(/^app\.json:1: expected the JSON array that az monitor log-analytics query -o json prints/);
        expect(() => parseFirewallLog('[{"Fqdn": ', "app.json")).toThrow(/^app\.json:1: invalid JSON/);
    });
});
