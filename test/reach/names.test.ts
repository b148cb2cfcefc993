/** Address names: the stack's own ranges print by name, arbitrary input stays exact, and no traffic is lost or added. */
import { describe, expect, it } from "vitest";
import {
    type AddressName,
    type Connection,
    compileAddressNames,
    formatConnection,
    InputError,
    parseAddressNames,
    parseConnectionLine,
    presentConnections,
} from "../../reach/index";

// A stack like prod: VNet 10.20.0.0/16, pods 10.244.0.0/16, services 10.96.0.0/16.
const NON_INTERNET = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16", "100.64.0.0/10", "168.63.129.16/32"];
const NAMES: AddressName[] = [
    { name: "internet", cidrs: ["0.0.0.0/0"], except: NON_INTERNET },
    { name: "VNet 10.20.0.0/16", cidrs: ["10.20.0.0/16"] },
    { name: "Azure WireServer 168.63.129.16", cidrs: ["168.63.129.16/32"] },
];
const names = compileAddressNames(NAMES);

// What the policy engine reports for a workload allowed TCP 443 to 0.0.0.0/0 except NON_INTERNET: the complement's
// fragments (written out by hand from the CIDRs above).
const INTERNET_FRAGMENTS = [
    "0.0.0.0-9.255.255.255",
    "11.0.0.0-100.63.255.255",
    "100.128.0.0-168.63.129.15",
    "168.63.129.17-169.253.255.255",
    "169.255.0.0-172.15.255.255",
    "172.32.0.0-192.167.255.255",
    "192.169.0.0-255.255.255.255",
];
const lines = (...list: string[]) => list.map((line) => parseConnectionLine(line));
const toInternet = (ports: string, except: readonly string[] = []) =>
    INTERNET_FRAGMENTS.filter((range) => !except.includes(range)).map((range) => `pay/api[Pod] => ${range}[External] : ${ports}`);
const named = (connections: readonly Connection[]) => presentConnections(connections, { self: true, names }).map(formatConnection);

describe("address names", () => {
    it("print every public address as one 'internet' line where the traffic is the same to all of it", () => {
        expect(named(lines(...toInternet("TCP 443")))).toEqual(["pay/api[Pod] => internet : TCP 443"]);
    });

    it("leave the fragments exact when one public range is missing: the name would claim more than is allowed", () => {
        const partial = lines(...toInternet("TCP 443", ["11.0.0.0-100.63.255.255"]));
        expect(named(partial)).toEqual(partial.map(formatConnection));
    });

    it("take the traffic common to the whole name and print the rest exactly", () => {
        const connections = lines(...toInternet("TCP 443"), "pay/api[Pod] => 8.8.8.8[External] : UDP 53", "pay/api[Pod] => 10.20.0.0/16[External] : TCP 5432");
        expect(named(connections)).toEqual([
            "pay/api[Pod] => internet : TCP 443",
            "pay/api[Pod] => 8.8.8.8[External] : UDP 53",
            "pay/api[Pod] => VNet 10.20.0.0/16 : TCP 5432",
        ]);
    });

    it("print the whole address space as 0.0.0.0/0, not as the names it is made of", () => {
        const everywhere = lines("pay/api[Pod] => 0.0.0.0/0[External] : All Connections", ...toInternet("TCP 443").map((line) => line.replace("pay/api[Pod] => ", "pay/web[Pod] => ")));
        expect(named(everywhere)).toEqual(["pay/api[Pod] => 0.0.0.0/0[External] : All Connections", "pay/web[Pod] => internet : TCP 443"]);
    });

    it("name inbound ranges too, per workload and direction", () => {
        expect(named(lines("10.20.0.0/16[External] => pay/api[Pod] : TCP 8080"))).toEqual(["VNet 10.20.0.0/16 => pay/api[Pod] : TCP 8080"]);
    });

    it("allow exactly the traffic of the fragments they replace", () => {
        const connections = lines(...toInternet("TCP 443,8443"), "pay/api[Pod] => 10.0.0.0/8[External] : TCP 443", "pay/api[Pod] => 168.63.129.16[External] : UDP 53");
        const presented = presentConnections(connections, { self: true, names });
        // Probe the edges of every range and name: each address gets the same ports either way.
        const probes = [0, 167772159, 167772160, 169082880, 169148415, 184549376, 1681915904, 2822734096, 2822734095, 2822734097, 4294967295];
        const portsAt = (list: readonly Connection[], address: number) =>
            list.filter((connection) => {
                const destination = connection.destination;
                if (destination.type !== "external") return false;
                const parts = "addresses" in destination ? (destination.addresses as readonly number[]) : [destination.start, destination.end];
                for (let i = 0; i < parts.length; i += 2) if (parts[i]! <= address && address <= parts[i + 1]!) return true;
                return false;
            }).map((connection) => connection.ports.format()).sort().join(" | ");
        for (const address of probes) expect(portsAt(presented, address), String(address)).toBe(portsAt(connections, address));
    });

    it("are left out unless given: reach on arbitrary input prints exact ranges", () => {
        expect(presentConnections(lines(...toInternet("TCP 443"))).map(formatConnection)).toEqual(toInternet("TCP 443"));
    });

    it("read back from their lines, as the diff's picture does", () => {
        const connection = parseConnectionLine("pay/api[Pod] => internet : TCP 443", names);
        expect(connection.destination).toMatchObject({ type: "external", name: "internet", display: "internet" });
        expect(() => parseConnectionLine("pay/api[Pod] => internet : TCP 443")).toThrow(/not an entity/);
    });

    it("are read from a file and refused with the entry and field named when wrong", () => {
        expect(parseAddressNames("names:\n  - name: VNet\n    cidrs: [10.20.0.0/16]\n", "names.yaml").entities.map((entity) => entity.name)).toEqual(["VNet"]);
        expect(() => parseAddressNames("- name: VNet\n  cidrs: [10.20.0.0/33]\n", "names.yaml")).toThrow(InputError);
        expect(() => parseAddressNames("- name: VNet\n  cidrs: [10.20.0.0/33]\n", "names.yaml")).toThrow(/^names\.yaml: names\[0\]\.cidrs\[0\]: invalid CIDR/);
        expect(() => parseAddressNames("- name: a\n  cidrs: [10.0.0.0/8]\n  except: [0.0.0.0/0]\n", "names.yaml")).toThrow(/names\[0\]: "a" has no address left after except/);
        expect(() => parseAddressNames("name: x\n", "names.yaml")).toThrow(/expected a list of \{name, cidrs, except\} entries/);
    });
});
