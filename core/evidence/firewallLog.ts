/**
 * Reads Azure Firewall's resource-specific logs, `AZFWApplicationRule` and `AZFWNetworkRule`, as Log Analytics
 * exports them (see logAnalyticsRows.ts): raw rows, or the rows of the quarterly review's KQL
 * (docs/audit-to-enforce.md), which summarises them per rule and destination. Pure: text in, rows out; a row that
 * cannot be read is a LogInputError naming file:line and the row's position.
 *
 * Columns (Azure Monitor Logs table reference, "AZFWApplicationRule" and "AZFWNetworkRule", read 2026-12-07 from
 * MicrosoftDocs/azure-reference-other azure-monitor-ref/tables/includes/azfw*-include.md; the same lists as
 * core/azure/monitoring.ts TABLE_COLUMNS): both have TimeGenerated, Protocol, SourceIp, SourcePort, DestinationPort
 * (int), Action, ActionReason, Policy, RuleCollectionGroup, RuleCollection, Rule, and Type (the table's name);
 * AZFWApplicationRule adds Fqdn and TargetUrl, AZFWNetworkRule adds DestinationIp. A request no rule matched has
 * no Policy/RuleCollectionGroup/RuleCollection/Rule and ActionReason "Default Action".
 */
import { isIpv4Address } from "../common";
import { LogInputError, logAnalyticsRows, type LogAnalyticsRow } from "./logAnalyticsRows";

/** The two tables `review` reads. */
export const FIREWALL_LOG_TABLES = ["AZFWApplicationRule", "AZFWNetworkRule"] as const;
export type FirewallLogTable = (typeof FIREWALL_LOG_TABLES)[number];

/** One row (or one summarised group of rows) of a firewall log. */
export interface FirewallLogRow {
    readonly table: FirewallLogTable;
    /** `Allow` or `Deny` as logged. */
    readonly action: string;
    /** The firewall policy, rule collection group, collection and rule that matched; absent for the default action. */
    readonly policy?: string;
    readonly ruleCollectionGroup?: string;
    readonly ruleCollection?: string;
    readonly rule?: string;
    /** As logged: HTTP/HTTPS for application rules, TCP/UDP/ICMP for network rules. */
    readonly protocol?: string;
    /** AZFWApplicationRule: the requested host name, lowercase. */
    readonly fqdn?: string;
    /** AZFWNetworkRule: the destination address. */
    readonly destinationIp?: string;
    readonly destinationPort?: number;
    /** First and last time (ISO 8601 UTC); equal for a raw row. */
    readonly firstSeen: string;
    readonly lastSeen: string;
    /** Requests it stands for: 1 for a raw row, `Hits` for a summarised one. */
    readonly hits: number;
    /** `file:line (row n)`. */
    readonly at: string;
}

const EXPECTED = "one object per AZFWApplicationRule or AZFWNetworkRule row, with the columns the quarterly review's query projects";

/** Reads one export file. */
export function parseFirewallLog(text: string, file: string): FirewallLogRow[] {
    return logAnalyticsRows(text, file, EXPECTED).map((row) => firewallRow(row, file));
}

function firewallRow(row: LogAnalyticsRow, file: string): FirewallLogRow {
    const fail = (message: string): never => {
        throw new LogInputError(`row ${row.row}: ${message}`, file, row.line);
    };
    const value = row.value;
    const table = tableOf(value, fail);
    const action = text(value.Action);
    if (action === undefined) fail(`expected an "Action" column (Allow or Deny), as ${table} has`);
    const time = (column: string): string | undefined => {
        const raw = value[column];
        if (raw === undefined || raw === null || raw === "") return undefined;
        const date = typeof raw === "string" ? new Date(raw) : undefined;
        if (!date || Number.isNaN(date.getTime()) || !/^\d{4}-\d{2}-\d{2}T/.test(String(raw))) fail(`${column} is ${JSON.stringify(raw)}, not an ISO 8601 time such as 2026-12-01T10:00:00Z`);
        return date!.toISOString();
    };
    const generated = time("TimeGenerated");
    const firstSeen = time("FirstSeen") ?? generated;
    const lastSeen = time("LastSeen") ?? generated;
    if (firstSeen === undefined || lastSeen === undefined) fail('expected "TimeGenerated", or "FirstSeen" and "LastSeen" as the quarterly review\'s query projects them');
    if (firstSeen! > lastSeen!) fail(`FirstSeen ${firstSeen} is after LastSeen ${lastSeen}`);
    const hits = value.Hits === undefined ? 1 : Number(value.Hits);
    if (!Number.isInteger(hits) || hits < 0) fail(`Hits is ${JSON.stringify(value.Hits)}, not a count`);
    let destinationPort: number | undefined;
    const port = value.DestinationPort;
    if (port !== undefined && port !== null && port !== "") {
        destinationPort = Number(port);
        if (!/^\d+$/.test(String(port)) || destinationPort > 65535) fail(`DestinationPort is ${JSON.stringify(port)}, not a port number`);
    }
    const fqdn = text(value.Fqdn)?.toLowerCase();
    const destinationIp = text(value.DestinationIp);
    if (table === "AZFWNetworkRule" && destinationIp === undefined) fail('expected a "DestinationIp" column, as AZFWNetworkRule has');
    if (table === "AZFWApplicationRule" && fqdn === undefined) fail('expected an "Fqdn" column, as AZFWApplicationRule has');
    if (destinationIp !== undefined && !isIpv4Address(destinationIp) && !destinationIp.includes(":")) fail(`DestinationIp ${destinationIp} is not an IP address`);
    const optional = (key: string, column: string) => {
        const found = text(value[column]);
        return found !== undefined ? { [key]: found } : {};
    };
    return {
        table,
        action: action!,
        ...optional("policy", "Policy"),
        ...optional("ruleCollectionGroup", "RuleCollectionGroup"),
        ...optional("ruleCollection", "RuleCollection"),
        ...optional("rule", "Rule"),
        ...optional("protocol", "Protocol"),
        ...(fqdn !== undefined ? { fqdn } : {}),
        ...(destinationIp !== undefined ? { destinationIp } : {}),
        ...(destinationPort !== undefined ? { destinationPort } : {}),
        firstSeen: firstSeen!,
        lastSeen: lastSeen!,
        hits,
        at: `${file}:${row.line} (row ${row.row})`,
    };
}

/** The row's table: its `Type` column when projected, else the column only that table has. */
function tableOf(value: Readonly<Record<string, unknown>>, fail: (message: string) => never): FirewallLogTable {
    const type = text(value.Type);
    if (type !== undefined) {
        if ((FIREWALL_LOG_TABLES as readonly string[]).includes(type)) return type as FirewallLogTable;
        return fail(`a row of ${type}; review reads ${FIREWALL_LOG_TABLES.join(" and ")}`);
    }
    if (value.Fqdn !== undefined && value.DestinationIp === undefined) return "AZFWApplicationRule";
    if (value.DestinationIp !== undefined && value.Fqdn === undefined) return "AZFWNetworkRule";
    return fail(`cannot tell the table: project Type (${FIREWALL_LOG_TABLES.join(" or ")}), or Fqdn (application rules) or DestinationIp (network rules)`);
}

function text(value: unknown): string | undefined {
    if (typeof value === "number") return String(value);
    return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
}
