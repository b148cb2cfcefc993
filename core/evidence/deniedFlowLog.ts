/**
 * Reads Calico's denied-flow log records: the kernel log lines that the `log-denied` policy's `Log` rule writes,
 * as raw journal/kern.log/dmesg lines or as the rows `az monitor log-analytics query -o json` prints for the
 * runbook's Syslog query. Pure: text in, records out; mistakes are LogInputError naming file:line.
 *
 * Formats (read 2026-12-01):
 * - Felix renders a policy `Log` action with the prefix `calico-packet` (felix/rules/policy.go generateLogPrefix:
 *   default "calico-packet", FelixConfiguration LogPrefix may replace it and use %t/%k/%n/%p).
 *   iptables dataplane: `--jump LOG --log-prefix "calico-packet: " --log-level 5` (felix/iptables/actions.go
 *   LogAction), so the line reads `calico-packet: IN=...` at severity notice.
 *   nftables dataplane (Calico 3.29+): `log prefix calico-packet level info` (felix/nftables/actions.go LogAction):
 *   no separator is added, so the line reads `calico-packetIN=...` at severity info.
 * - Both go through the kernel's nf_log syslog backend (net/netfilter/nf_log_syslog.c): `<prefix>IN=<dev> OUT=<dev> `,
 *   `MAC=...` when there is an input device, then `SRC=a.b.c.d DST=a.b.c.d LEN= TOS= PREC= TTL= ID= [CE] [DF] [MF]
 *   [FRAG:n]`, then per protocol `PROTO=TCP SPT= DPT= [SEQ= ACK=] WINDOW= RES= <flags> URGP=`, `PROTO=UDP SPT= DPT=
 *   LEN=` (also UDPLITE), `PROTO=ICMP TYPE= CODE= ...`, or `PROTO=<number>` for others (SCTP prints `PROTO=132`,
 *   with no ports); `MARK=0x..` at the end when the packet carries a mark.
 * - Log Analytics: the Syslog table has TimeGenerated, Computer, HostName, HostIP, Facility, SeverityLevel,
 *   SyslogMessage, ProcessName, ... (learn.microsoft.com/azure/azure-monitor/reference/tables/syslog); the export's
 *   two JSON shapes are read by logAnalyticsRows.ts.
 */
import { isIpv4Address } from "../common";
import { LogInputError, logAnalyticsRows } from "./logAnalyticsRows";

/** The prefix Felix puts on policy Log lines unless FelixConfiguration.logPrefix says otherwise. */
export const DEFAULT_LOG_PREFIX = "calico-packet";

/** The input formats `--logs-format` accepts. */
export const LOG_FORMATS = ["iptables", "nftables", "log-analytics"] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

/** Protocols whose destination port the kernel logs. */
export type PortProtocol = "TCP" | "UDP";

/** One packet that reached `log-denied`'s Log rule. */
export interface DeniedFlowRecord {
    readonly source: string;
    readonly destination: string;
    /** `TCP`, `UDP`, `UDPLITE`, `ICMP` or the IP protocol number as text (`132` is SCTP). */
    readonly protocol: string;
    readonly sourcePort?: number;
    readonly destinationPort?: number;
    /** Interfaces as logged: `cali...` is a pod's host-side interface, empty when none. */
    readonly inInterface: string;
    readonly outInterface: string;
    /** The node that logged it (syslog host name, journal host, or the Log Analytics Computer). */
    readonly node?: string;
    /** When it was logged, as ISO 8601 UTC; absent when the line carries no dated timestamp (dmesg, classic syslog). */
    readonly time?: string;
    /** Which dataplane's prefix form the line has. */
    readonly dataplane: "iptables" | "nftables";
    /** Where it came from: `file:line`. */
    readonly at: string;
}

/** What reading a log file gave. */
export interface DeniedFlowLog {
    readonly format: LogFormat;
    readonly records: readonly DeniedFlowRecord[];
    /** Records that were not IPv4 (the intent and the engine are IPv4-only). */
    readonly skippedIpv6: number;
}

/** Options of a read. */
export interface LogReadOptions {
    /** Force a format instead of detecting it. */
    readonly format?: LogFormat;
    /** FelixConfiguration.logPrefix, when the cluster changed it (without %-specifiers expanded, only its fixed start). */
    readonly prefix?: string;
}

/**
 * Reads a denied-flow log: Log Analytics JSON when the text is a JSON array (or `format` says so), kernel log lines
 * otherwise. Lines without the prefix are skipped; a line with the prefix that is not a packet log is an error.
 */
export function parseDeniedFlowLog(text: string, file: string, options: LogReadOptions = {}): DeniedFlowLog {
    const prefix = options.prefix ?? DEFAULT_LOG_PREFIX;
    const looksLikeJson = /^\s*[[{]/.test(text) && !/^\s*\[\s*\d+\.\d+\]/.test(text);
    const format = options.format ?? (looksLikeJson ? "log-analytics" : undefined);
    if (format === "log-analytics") {
        return tally("log-analytics", logAnalyticsRecords(text, file, prefix));
    }
    const records: Array<DeniedFlowRecord | "ipv6"> = [];
    text.split(/\r?\n/).forEach((line, index) => {
        const record = kernelLineRecord(line, prefix, { file, line: index + 1 });
        if (record) records.push(record);
    });
    const detected = format ?? detectDataplane(records);
    const mismatch = format ? records.find((record): record is DeniedFlowRecord => record !== "ipv6" && record.dataplane !== format) : undefined;
    if (mismatch) {
        throw new LogInputError(`--logs-format ${format} was given, but this line has the ${mismatch.dataplane} prefix form ("${prefix}${mismatch.dataplane === "iptables" ? ": " : ""}IN=")`, ...splitAt(mismatch.at));
    }
    return tally(detected, records);
}

function splitAt(at: string): [string, number] {
    const index = at.lastIndexOf(":");
    return [at.slice(0, index), Number(at.slice(index + 1))];
}

function detectDataplane(records: ReadonlyArray<DeniedFlowRecord | "ipv6">): LogFormat {
    const first = records.find((record): record is DeniedFlowRecord => record !== "ipv6");
    return first?.dataplane ?? "iptables";
}

function tally(format: LogFormat, records: ReadonlyArray<DeniedFlowRecord | "ipv6">): DeniedFlowLog {
    const kept = records.filter((record): record is DeniedFlowRecord => record !== "ipv6");
    return { format, records: kept, skippedIpv6: records.length - kept.length };
}

interface Place {
    readonly file: string;
    readonly line: number;
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** `2026-12-01T10:00:00.123456+00:00 host kernel: ` (journalctl -o short-iso[-precise], rsyslog RFC 3339). */
const ISO_HEADER = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?)\s+(\S+)\s+kernel:\s/;
/** `Dec  1 10:00:00 host kernel: ` (journalctl short, classic syslog): no year, so no usable time. */
const CLASSIC_HEADER = /^([A-Z][a-z]{2})\s+(\d{1,2})\s+(\d{2}:\d{2}:\d{2})\s+(\S+)\s+kernel:\s/;

/** The record of one kernel log line, undefined when the line is not one of Calico's packet logs. */
function kernelLineRecord(line: string, prefix: string, place: Place): DeniedFlowRecord | "ipv6" | undefined {
    const start = line.indexOf(prefix);
    if (start < 0) return undefined;
    let node: string | undefined;
    let time: string | undefined;
    const iso = ISO_HEADER.exec(line);
    const classic = iso ? null : CLASSIC_HEADER.exec(line);
    if (iso) {
        time = isoTime(iso[1], place);
        node = iso[2];
    } else if (classic && MONTHS.includes(classic[1])) {
        node = classic[4];
    }
    return packetRecord(line.slice(start), prefix, { node, time }, place);
}

/** Normalises an RFC 3339 / journal ISO time to `YYYY-MM-DDTHH:MM:SS[.fff]Z`. */
function isoTime(text: string, place: Place): string {
    const normalised = text.replace(",", ".").replace(/([+-]\d{2})(\d{2})$/, "$1:$2");
    const date = new Date(normalised);
    if (Number.isNaN(date.getTime())) throw new LogInputError(`cannot read the time "${text}"`, place.file, place.line);
    return date.toISOString();
}

/**
 * Reads `<prefix>[anything]IN=... OUT=... SRC=... DST=... PROTO=...`. The text between the prefix and `IN=` is
 * what tells the dataplanes apart (`: ` for iptables, nothing for nftables) and what %-specifiers expand to.
 */
function packetRecord(text: string, prefix: string, header: { node?: string; time?: string }, place: Place): DeniedFlowRecord | "ipv6" | undefined {
    const inAt = text.indexOf("IN=", prefix.length);
    if (inAt < 0) {
        throw new LogInputError(`a "${prefix}" line without the packet fields the kernel logs (IN= OUT= SRC= DST= PROTO=)`, place.file, place.line);
    }
    const between = text.slice(prefix.length, inAt);
    const dataplane = between === "" ? "nftables" : "iptables";
    const fields = new Map<string, string>();
    for (const token of text.slice(inAt).split(/\s+/)) {
        const equals = token.indexOf("=");
        if (equals <= 0) continue;
        const key = token.slice(0, equals);
        // The first occurrence wins: UDP logs a second LEN=, and ICMP errors embed the offending packet in [...].
        if (!fields.has(key)) fields.set(key, token.slice(equals + 1));
    }
    const source = fields.get("SRC");
    const destination = fields.get("DST");
    const protocol = fields.get("PROTO");
    if (source === undefined || destination === undefined || protocol === undefined) {
        const missing = ["SRC", "DST", "PROTO"].filter((key) => !fields.has(key));
        throw new LogInputError(`expected ${missing.join(", ")} in the packet log, as the kernel's nf_log writes it`, place.file, place.line);
    }
    if (source.includes(":") || destination.includes(":")) return "ipv6";
    for (const [name, value] of [["SRC", source], ["DST", destination]] as const) {
        if (!isIpv4Address(value)) throw new LogInputError(`${name}=${value} is not an IPv4 address`, place.file, place.line);
    }
    const port = (key: string): number | undefined => {
        const value = fields.get(key);
        if (value === undefined) return undefined;
        const number = Number(value);
        if (!/^\d+$/.test(value) || number > 65535) throw new LogInputError(`${key}=${value} is not a port number`, place.file, place.line);
        return number;
    };
    return {
        source,
        destination,
        protocol,
        ...(fields.has("SPT") ? { sourcePort: port("SPT") } : {}),
        ...(fields.has("DPT") ? { destinationPort: port("DPT") } : {}),
        inInterface: fields.get("IN") ?? "",
        outInterface: fields.get("OUT") ?? "",
        ...(header.node ? { node: header.node } : {}),
        ...(header.time ? { time: header.time } : {}),
        dataplane,
        at: `${place.file}:${place.line}`,
    };
}

/** Rows of `az monitor log-analytics query -o json` (an array of row objects), or of the REST API's `tables` shape. */
function logAnalyticsRecords(text: string, file: string, prefix: string): Array<DeniedFlowRecord | "ipv6"> {
    const rows = logAnalyticsRows(text, file, "one object per Syslog row");
    const records: Array<DeniedFlowRecord | "ipv6"> = [];
    for (const row of rows) {
        const place = { file, line: row.line };
        const message = row.value.SyslogMessage;
        if (typeof message !== "string") {
            throw new LogInputError('expected a "SyslogMessage" column: project TimeGenerated, Computer, SyslogMessage as the runbook\'s query does', place.file, place.line);
        }
        const start = message.indexOf(prefix);
        if (start < 0) continue;
        const node = stringColumn(row.value.Computer) ?? stringColumn(row.value.HostName);
        const generated = stringColumn(row.value.TimeGenerated);
        const time = generated ? isoTime(generated, place) : undefined;
        const record = packetRecord(message.slice(start), prefix, { node, time }, place);
        if (record) records.push(record);
    }
    return records;
}

function stringColumn(value: unknown): string | undefined {
    return typeof value === "string" && value !== "" ? value : undefined;
}
