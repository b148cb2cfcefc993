/**
 * Realistic inputs for `suggest`: a cluster dump (`kubectl get namespaces,pods,services -A -o json`) and the
 * denied-flow records that the dump explains, written as the kernel writes them for Calico's iptables dataplane
 * (`calico-packet: IN=...`, LOG level 5 = notice), its nftables dataplane (`calico-packetIN=...`, level info) and as
 * the rows `az monitor log-analytics query -o json` prints for the runbook's Syslog query.
 * Field order and spelling follow the kernel's nf_log_syslog.c; see core/evidence/deniedFlowLog.ts for the sources.
 */

/** A pod of the dump. */
export interface FixturePod {
    readonly namespace: string;
    readonly name: string;
    readonly labels: Readonly<Record<string, string>>;
    /** The controlling owner, as the pod names it (a ReplicaSet for a Deployment's pods). */
    readonly owner?: { readonly kind: string; readonly name: string };
    readonly ip: string;
    readonly node: string;
    readonly hostIp: string;
    readonly ports?: ReadonlyArray<{ readonly name: string; readonly containerPort: number }>;
}

/** A Service of the dump. */
export interface FixtureService {
    readonly namespace: string;
    readonly name: string;
    readonly clusterIp: string;
    readonly selector: Readonly<Record<string, string>>;
    readonly ports: ReadonlyArray<{ readonly port: number; readonly targetPort: number | string; readonly protocol?: string }>;
}

/** One logged packet: which node logged it, in which direction of the pod's policy. */
export interface FixturePacket {
    readonly source: string;
    readonly destination: string;
    readonly protocol: "TCP" | "UDP" | "ICMP" | "SCTP";
    readonly sourcePort?: number;
    readonly destinationPort?: number;
    /** Node whose kernel logged it, and its address. */
    readonly node: string;
    /** ISO 8601 UTC. */
    readonly time: string;
    /** Egress: logged on the client's node, out of its pod interface; ingress: on the server's node, into it. */
    readonly direction: "egress" | "ingress";
}

/** `kubectl get namespaces,pods,services -A -o json`: a `kind: List` of typed items (or typed lists, `typed: true`). */
export function clusterDump(namespaces: readonly string[], pods: readonly FixturePod[], services: readonly FixtureService[], options: { typed?: boolean } = {}): string {
    const namespaceItems = namespaces.map((name) => ({
        apiVersion: "v1",
        kind: "Namespace",
        metadata: { name, labels: { "kubernetes.io/metadata.name": name }, resourceVersion: "412", uid: uid(`ns/${name}`) },
        spec: { finalizers: ["kubernetes"] },
        status: { phase: "Active" },
    }));
    const podItems = pods.map((pod) => ({
        apiVersion: "v1",
        kind: "Pod",
        metadata: {
            name: pod.name,
            namespace: pod.namespace,
            labels: pod.labels,
            uid: uid(`pod/${pod.namespace}/${pod.name}`),
            ...(pod.owner ? { ownerReferences: [{ apiVersion: pod.owner.kind === "ReplicaSet" ? "apps/v1" : "apps/v1", kind: pod.owner.kind, name: pod.owner.name, uid: uid(`owner/${pod.owner.name}`), controller: true, blockOwnerDeletion: true }] } : {}),
        },
        spec: {
            containers: [{ name: "app", image: `contoso.azurecr.io/${pod.labels.app ?? pod.name}:1.4.2`, ports: (pod.ports ?? []).map((port) => ({ name: port.name, containerPort: port.containerPort, protocol: "TCP" })) }],
            nodeName: pod.node,
            serviceAccountName: "default",
        },
        status: { phase: "Running", hostIP: pod.hostIp, hostIPs: [{ ip: pod.hostIp }], podIP: pod.ip, podIPs: [{ ip: pod.ip }] },
    }));
    const serviceItems = services.map((service) => ({
        apiVersion: "v1",
        kind: "Service",
        metadata: { name: service.name, namespace: service.namespace, uid: uid(`svc/${service.namespace}/${service.name}`) },
        spec: {
            clusterIP: service.clusterIp,
            clusterIPs: [service.clusterIp],
            ipFamilies: ["IPv4"],
            ports: service.ports.map((port) => ({ port: port.port, targetPort: port.targetPort, protocol: port.protocol ?? "TCP" })),
            selector: service.selector,
            type: "ClusterIP",
        },
        status: { loadBalancer: {} },
    }));
    if (options.typed) {
        // What the API serves for one resource type: typed lists whose items carry no kind or apiVersion.
        const typedList = (kind: string, items: ReadonlyArray<Record<string, unknown>>) => ({
            kind,
            apiVersion: "v1",
            metadata: { resourceVersion: "9042" },
            items: items.map(({ kind: _kind, apiVersion: _apiVersion, ...rest }) => rest),
        });
        return [typedList("NamespaceList", namespaceItems), typedList("PodList", podItems), typedList("ServiceList", serviceItems)].map((list) => JSON.stringify(list, null, 4)).join("\n---\n");
    }
    return `${JSON.stringify({ apiVersion: "v1", items: [...namespaceItems, ...podItems, ...serviceItems], kind: "List", metadata: { resourceVersion: "" } }, null, 4)}\n`;
}

function uid(seed: string): string {
    let hash = 0;
    for (const char of seed) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
    const hex = hash.toString(16).padStart(8, "0");
    return `${hex}-0000-4000-8000-${hex}${hex.slice(0, 4)}`;
}

/** The host-side interface of a pod on AKS (Azure CNI names it azv...; Felix's interface prefix there is azv). */
function podInterface(address: string): string {
    return `azv${address.split(".").map((part) => Number(part).toString(16).padStart(2, "0")).join("").slice(0, 11)}`;
}

/** The packet part of the kernel's line, after the prefix: IN/OUT, MAC when there is an input device, IP, protocol. */
function packetFields(packet: FixturePacket, index: number): string {
    const input = packet.direction === "egress" ? podInterface(packet.source) : "eth0";
    const output = packet.direction === "egress" ? "eth0" : podInterface(packet.destination);
    const mac = packet.direction === "egress" ? "ee:ee:ee:ee:ee:ee:3a:1f:09:7c:52:d1:08:00" : "12:34:56:78:9a:bc:12:34:56:78:9a:01:08:00";
    const ttl = packet.direction === "egress" ? 64 : 63;
    const id = 40000 + ((index * 7919) % 20000);
    let transport: string;
    let length: number;
    switch (packet.protocol) {
        case "TCP":
            length = 60;
            transport = `PROTO=TCP SPT=${packet.sourcePort} DPT=${packet.destinationPort} WINDOW=64240 RES=0x00 SYN URGP=0`;
            break;
        case "UDP":
            length = 73;
            transport = `PROTO=UDP SPT=${packet.sourcePort} DPT=${packet.destinationPort} LEN=53`;
            break;
        case "ICMP":
            length = 84;
            transport = `PROTO=ICMP TYPE=8 CODE=0 ID=${index + 1} SEQ=1`;
            break;
        case "SCTP":
            // nf_log prints no SCTP header: the protocol number only.
            length = 68;
            transport = "PROTO=132";
            break;
    }
    return `IN=${input} OUT=${output} MAC=${mac} SRC=${packet.source} DST=${packet.destination} LEN=${length} TOS=0x00 PREC=0x00 TTL=${ttl} ID=${id} DF ${transport} `;
}

/** `Dec  1 09:15:02` from an ISO time (syslog's classic timestamp: no year, day padded with a space). */
function classicTime(time: string): string {
    const date = new Date(time);
    const months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    return `${months[date.getUTCMonth()]} ${String(date.getUTCDate()).padStart(2, " ")} ${date.toISOString().slice(11, 19)}`;
}

/** How the kernel lines are framed: journalctl -o short-iso-precise, classic syslog / journalctl short, or dmesg. */
export type LineHeader = "iso" | "classic" | "dmesg";

function frame(packet: FixturePacket, message: string, header: LineHeader, index: number): string {
    switch (header) {
        case "iso":
            return `${packet.time.replace("Z", "")}+00:00 ${packet.node} kernel: ${message}`;
        case "classic":
            return `${classicTime(packet.time)} ${packet.node} kernel: ${message}`;
        case "dmesg":
            return `[${(86400 + index * 1.25).toFixed(6).padStart(13, " ")}] ${message}`;
    }
}

/** Kernel lines from Calico's iptables dataplane: `--log-prefix "calico-packet: "`. Unrelated kernel lines are mixed in. */
export function iptablesLines(packets: readonly FixturePacket[], header: LineHeader = "iso"): string {
    return withNoise(packets.map((packet, index) => frame(packet, `calico-packet: ${packetFields(packet, index)}`, header, index)), packets, header);
}

/** Kernel lines from Calico's nftables dataplane: `log prefix calico-packet level info`, no separator before IN=. */
export function nftablesLines(packets: readonly FixturePacket[], header: LineHeader = "iso"): string {
    return withNoise(packets.map((packet, index) => frame(packet, `calico-packet${packetFields(packet, index)}`, header, index)), packets, header);
}

function withNoise(lines: string[], packets: readonly FixturePacket[], header: LineHeader): string {
    const first = packets[0];
    const noise = first ? frame(first, "azv0a00020a: entered promiscuous mode", header, 0) : "";
    return `${[noise, ...lines, first ? frame(first, "IPv6: ADDRCONF(NETDEV_CHANGE): azv0a00020a: link becomes ready", header, 0) : ""].filter(Boolean).join("\n")}\n`;
}

/** `az monitor log-analytics query -o json` for the runbook's Syslog query, every column a string, as az prints it. */
export function logAnalyticsJson(packets: readonly FixturePacket[], dataplane: "iptables" | "nftables", hostIps: Readonly<Record<string, string>>): string {
    const rows = packets.map((packet, index) => ({
        Computer: packet.node,
        EventTime: packet.time,
        Facility: "kern",
        HostIP: hostIps[packet.node] ?? "",
        HostName: packet.node,
        ProcessID: "",
        ProcessName: "kernel",
        SeverityLevel: dataplane === "iptables" ? "notice" : "info",
        SourceSystem: "Linux",
        SyslogMessage: `${index % 2 === 1 ? `[${(86400 + index).toFixed(6)}] ` : ""}calico-packet${dataplane === "iptables" ? ": " : ""}${packetFields(packet, index)}`,
        TableName: "PrimaryResult",
        TenantId: "6f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9",
        TimeGenerated: packet.time.replace(/\.(\d{3})Z$/, ".$1Z"),
        Type: "Syslog",
    }));
    return `${JSON.stringify(rows, null, 2)}\n`;
}

// ---- The shop scenario of the acceptance criteria (dev stack: pods 10.244.0.0/16, services 10.96.0.0/16). ----

export const NODE_A = "aks-apps-31415926-vmss000000";
export const NODE_B = "aks-apps-31415926-vmss000001";
export const HOST_IPS: Readonly<Record<string, string>> = { [NODE_A]: "10.10.16.4", [NODE_B]: "10.10.16.5" };

export const SHOP_PODS: readonly FixturePod[] = [
    { namespace: "shop", name: "frontend-7d9f8c6b5-q2wxl", labels: { app: "frontend", tier: "web", "pod-template-hash": "7d9f8c6b5" }, owner: { kind: "ReplicaSet", name: "frontend-7d9f8c6b5" }, ip: "10.244.0.12", node: NODE_A, hostIp: HOST_IPS[NODE_A], ports: [{ name: "http", containerPort: 8080 }] },
    { namespace: "shop", name: "frontend-7d9f8c6b5-zt5mc", labels: { app: "frontend", tier: "web", "pod-template-hash": "7d9f8c6b5" }, owner: { kind: "ReplicaSet", name: "frontend-7d9f8c6b5" }, ip: "10.244.1.14", node: NODE_B, hostIp: HOST_IPS[NODE_B], ports: [{ name: "http", containerPort: 8080 }] },
    { namespace: "shop", name: "backend-5c6d7e8f9-hk4rn", labels: { app: "backend", tier: "api", "pod-template-hash": "5c6d7e8f9" }, owner: { kind: "ReplicaSet", name: "backend-5c6d7e8f9" }, ip: "10.244.1.7", node: NODE_B, hostIp: HOST_IPS[NODE_B], ports: [{ name: "http", containerPort: 80 }] },
    { namespace: "shop", name: "database-0", labels: { app: "database", tier: "data", "statefulset.kubernetes.io/pod-name": "database-0" }, owner: { kind: "StatefulSet", name: "database" }, ip: "10.244.0.30", node: NODE_A, hostIp: HOST_IPS[NODE_A], ports: [{ name: "postgres", containerPort: 5432 }] },
    { namespace: "kube-system", name: "coredns-6f8d7c9b4-8xq2v", labels: { "k8s-app": "kube-dns", "pod-template-hash": "6f8d7c9b4" }, owner: { kind: "ReplicaSet", name: "coredns-6f8d7c9b4" }, ip: "10.244.0.5", node: NODE_A, hostIp: HOST_IPS[NODE_A] },
];

export const SHOP_SERVICES: readonly FixtureService[] = [
    { namespace: "shop", name: "database", clusterIp: "10.96.41.17", selector: { app: "database" }, ports: [{ port: 5432, targetPort: "postgres" }] },
    { namespace: "shop", name: "backend", clusterIp: "10.96.12.80", selector: { app: "backend" }, ports: [{ port: 8000, targetPort: 80 }] },
];

export const SHOP_NAMESPACES = ["default", "kube-system", "shop"];

/**
 * The acceptance records, in audit mode:
 * - backend -> 10.30.0.12:5432 (a database outside the cluster): egress on backend's node, a SYN and two retries;
 * - frontend -> database:5432: the first frontend replica (same node as the database) logs egress and ingress on
 *   node A; the second replica (node B) logs egress on B and ingress on A;
 * - 10.244.3.99 (a pod the dump does not have) -> backend:80, logged as ingress on backend's node.
 */
export const ACCEPTANCE_PACKETS: readonly FixturePacket[] = [
    { source: "10.244.1.7", destination: "10.30.0.12", protocol: "TCP", sourcePort: 41822, destinationPort: 5432, node: NODE_B, time: "2026-12-01T09:15:02.118Z", direction: "egress" },
    { source: "10.244.1.7", destination: "10.30.0.12", protocol: "TCP", sourcePort: 41822, destinationPort: 5432, node: NODE_B, time: "2026-12-01T09:15:03.131Z", direction: "egress" },
    { source: "10.244.1.7", destination: "10.30.0.12", protocol: "TCP", sourcePort: 41822, destinationPort: 5432, node: NODE_B, time: "2026-12-01T09:15:05.179Z", direction: "egress" },
    { source: "10.244.0.12", destination: "10.244.0.30", protocol: "TCP", sourcePort: 50312, destinationPort: 5432, node: NODE_A, time: "2026-12-01T09:20:44.502Z", direction: "egress" },
    { source: "10.244.0.12", destination: "10.244.0.30", protocol: "TCP", sourcePort: 50312, destinationPort: 5432, node: NODE_A, time: "2026-12-01T09:20:44.502Z", direction: "ingress" },
    { source: "10.244.1.14", destination: "10.244.0.30", protocol: "TCP", sourcePort: 38110, destinationPort: 5432, node: NODE_B, time: "2026-12-01T09:31:10.007Z", direction: "egress" },
    { source: "10.244.1.14", destination: "10.244.0.30", protocol: "TCP", sourcePort: 38110, destinationPort: 5432, node: NODE_A, time: "2026-12-01T09:31:10.008Z", direction: "ingress" },
    { source: "10.244.3.99", destination: "10.244.1.7", protocol: "TCP", sourcePort: 60001, destinationPort: 80, node: NODE_B, time: "2026-12-01T09:40:00.250Z", direction: "ingress" },
];
