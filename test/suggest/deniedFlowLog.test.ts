import { describe, expect, it } from "vitest";
import { LogInputError, parseDeniedFlowLog } from "../../core/evidence";
import { recordsSince } from "../../core/evidence";
import { ACCEPTANCE_PACKETS, HOST_IPS, iptablesLines, logAnalyticsJson, nftablesLines } from "./fixtures";

/** What a reader must get out of each acceptance packet, whatever the format. */
const expectedRecords = ACCEPTANCE_PACKETS.map((packet) => ({
    source: packet.source,
    destination: packet.destination,
    protocol: packet.protocol,
    sourcePort: packet.sourcePort,
    destinationPort: packet.destinationPort,
    node: packet.node,
    time: packet.time,
}));

function essentials(records: ReturnType<typeof parseDeniedFlowLog>["records"]) {
    return records.map(({ source, destination, protocol, sourcePort, destinationPort, node, time }) => ({ source, destination, protocol, sourcePort, destinationPort, node, time }));
}

describe("reading Calico's denied-flow log", () => {
    it("reads the iptables dataplane's kernel lines (calico-packet: IN=...) and skips other kernel lines", () => {
        const log = parseDeniedFlowLog(iptablesLines(ACCEPTANCE_PACKETS), "kern.log");
        expect(log.format).toBe("iptables");
        expect(essentials(log.records)).toEqual(expectedRecords);
        expect(log.records[0].at).toBe("kern.log:2");
    });

    it("reads the nftables dataplane's lines (calico-packetIN=..., no separator) as the same records", () => {
        const log = parseDeniedFlowLog(nftablesLines(ACCEPTANCE_PACKETS), "journal.txt");
        expect(log.format).toBe("nftables");
        expect(essentials(log.records)).toEqual(expectedRecords);
    });

    it("reads az monitor log-analytics query -o json rows (strings, TableName, uptime before the prefix) as the same records", () => {
        for (const dataplane of ["iptables", "nftables"] as const) {
            const log = parseDeniedFlowLog(logAnalyticsJson(ACCEPTANCE_PACKETS, dataplane, HOST_IPS), "syslog.json");
            expect(log.format).toBe("log-analytics");
            expect(essentials(log.records)).toEqual(expectedRecords);
            // Row objects of 14 columns: the second row opens on line 18.
            expect(log.records[1].at).toBe("syslog.json:18");
        }
    });

    it("reads the Log Analytics query API's own tables/columns/rows shape as the same records", () => {
        const rows = JSON.parse(logAnalyticsJson(ACCEPTANCE_PACKETS, "iptables", HOST_IPS)) as Array<Record<string, string>>;
        const columns = ["TimeGenerated", "Computer", "SyslogMessage"];
        const api = { tables: [{ name: "PrimaryResult", columns: columns.map((name) => ({ name, type: name === "TimeGenerated" ? "datetime" : "string" })), rows: rows.map((row) => columns.map((name) => row[name])) }] };
        expect(essentials(parseDeniedFlowLog(JSON.stringify(api), "api.json").records)).toEqual(expectedRecords);
    });

    it("takes the node but no time from classic syslog and dmesg lines, which carry no year", () => {
        const classic = parseDeniedFlowLog(iptablesLines(ACCEPTANCE_PACKETS.slice(0, 1), "classic"), "kern.log").records[0];
        expect(classic).toMatchObject({ node: "aks-apps-31415926-vmss000001", source: "10.244.1.7", destinationPort: 5432 });
        expect(classic.time).toBeUndefined();
        const dmesg = parseDeniedFlowLog(nftablesLines(ACCEPTANCE_PACKETS.slice(0, 1), "dmesg"), "dmesg.txt");
        expect(dmesg.format).toBe("nftables");
        expect(dmesg.records[0].node).toBeUndefined();
    });

    it("reads UDP, ICMP and SCTP lines as the kernel writes them, and skips IPv6 ones", () => {
        const text = [
            "2026-12-01T10:00:00.000000+00:00 node-a kernel: calico-packet: IN=azv0af40107 OUT=eth0 MAC=ee:ee:ee:ee:ee:ee:3a:1f:09:7c:52:d1:08:00 SRC=10.244.1.7 DST=10.96.0.10 LEN=73 TOS=0x00 PREC=0x00 TTL=64 ID=4242 DF PROTO=UDP SPT=53211 DPT=53 LEN=53 ",
            "2026-12-01T10:00:01.000000+00:00 node-a kernel: calico-packet: IN=azv0af40107 OUT=eth0 MAC=ee:ee:ee:ee:ee:ee:3a:1f:09:7c:52:d1:08:00 SRC=10.244.1.7 DST=10.244.0.30 LEN=84 TOS=0x00 PREC=0x00 TTL=64 ID=1 DF PROTO=ICMP TYPE=8 CODE=0 ID=7 SEQ=1 ",
            "2026-12-01T10:00:02.000000+00:00 node-a kernel: calico-packet: IN=azv0af40107 OUT=eth0 MAC=ee:ee:ee:ee:ee:ee:3a:1f:09:7c:52:d1:08:00 SRC=10.244.1.7 DST=10.244.0.30 LEN=68 TOS=0x00 PREC=0x00 TTL=64 ID=2 DF PROTO=132 ",
            "2026-12-01T10:00:03.000000+00:00 node-a kernel: calico-packet: IN=azv0af40107 OUT=eth0 MAC=ee:ee:ee:ee:ee:ee:3a:1f:09:7c:52:d1:86:dd SRC=fd00:10:244::7 DST=fd00:10:244::30 LEN=80 TC=0 HOPLIMIT=64 FLOWLBL=0 PROTO=TCP SPT=1 DPT=2 WINDOW=1 RES=0x00 SYN URGP=0 ",
        ].join("\n");
        const log = parseDeniedFlowLog(text, "kern.log");
        expect(log.records.map((record) => [record.protocol, record.destinationPort])).toEqual([["UDP", 53], ["ICMP", undefined], ["132", undefined]]);
        expect(log.skippedIpv6).toBe(1);
    });

    it("reads a changed FelixConfiguration.logPrefix when told", () => {
        const text = "2026-12-01T10:00:00+00:00 node-a kernel: audit-drop: IN=azv1 OUT=eth0 MAC= SRC=10.244.1.7 DST=10.30.0.12 LEN=60 TOS=0x00 PREC=0x00 TTL=64 ID=1 DF PROTO=TCP SPT=40000 DPT=5432 WINDOW=64240 RES=0x00 SYN URGP=0 \n";
        expect(parseDeniedFlowLog(text, "kern.log").records).toEqual([]);
        expect(parseDeniedFlowLog(text, "kern.log", { prefix: "audit-drop" }).records).toHaveLength(1);
    });

    it("names file:line for a calico-packet line without packet fields, a bad address or a bad port", () => {
        const bad = (line: string) => () => parseDeniedFlowLog(`first line\n${line}\n`, "kern.log");
        expect(bad("kernel: calico-packet: something else")).toThrow(new LogInputError('a "calico-packet" line without the packet fields the kernel logs (IN= OUT= SRC= DST= PROTO=)', "kern.log", 2));
        expect(bad("calico-packet: IN=eth0 OUT= SRC=10.0.0.300 DST=10.0.0.1 PROTO=TCP SPT=1 DPT=2")).toThrow("kern.log:2: SRC=10.0.0.300 is not an IPv4 address");
        expect(bad("calico-packet: IN=eth0 OUT= SRC=10.0.0.3 DST=10.0.0.1 PROTO=TCP SPT=1 DPT=99999")).toThrow("kern.log:2: DPT=99999 is not a port number");
        expect(bad("calico-packet: IN=eth0 OUT= DST=10.0.0.1 PROTO=TCP")).toThrow("kern.log:2: expected SRC in the packet log");
    });

    it("refuses lines of the other dataplane when --logs-format names one", () => {
        expect(() => parseDeniedFlowLog(nftablesLines(ACCEPTANCE_PACKETS), "journal.txt", { format: "iptables" })).toThrow(/^journal\.txt:2: --logs-format iptables was given, but this line has the nftables prefix form/);
    });

    it("names the row of a Log Analytics export without SyslogMessage, and rejects JSON that is not the az shape", () => {
        const rows = JSON.stringify([{ TimeGenerated: "2026-12-01T09:00:00Z", Computer: "node-a", SyslogMessage: "unrelated" }, { TimeGenerated: "2026-12-01T09:00:01Z", Computer: "node-a" }], null, 2);
        expect(() => parseDeniedFlowLog(rows, "syslog.json")).toThrow(/^syslog\.json:7: expected a "SyslogMessage" column/);
        expect(() => parseDeniedFlowLog('{"value": 1}', "syslog.json")).toThrow(/^syslog\.json:1: expected the JSON array that az monitor log-analytics query -o json prints/);
        expect(() => parseDeniedFlowLog('[{"SyslogMessage": ', "syslog.json")).toThrow(/^syslog\.json:1: invalid JSON/);
    });

    it("keeps records from --since on, and refuses undated lines when --since is given", () => {
        const log = parseDeniedFlowLog(iptablesLines(ACCEPTANCE_PACKETS), "kern.log");
        expect(recordsSince(log.records, "2026-12-01T09:30:00Z").map((record) => record.time)).toEqual(["2026-12-01T09:31:10.007Z", "2026-12-01T09:31:10.008Z", "2026-12-01T09:40:00.250Z"]);
        const undated = parseDeniedFlowLog(iptablesLines(ACCEPTANCE_PACKETS, "classic"), "kern.log");
        expect(() => recordsSince(undated.records, "2026-12-01T09:30:00Z")).toThrow(/^kern\.log:2: this line has no date, so --since cannot place it/);
    });
});
