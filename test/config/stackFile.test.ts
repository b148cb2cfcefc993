import { describe, expect, it } from "vitest";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ConfigError } from "../../core/common";
import { loadStackFile, parseStack, parseStackFile, stackConfigOf } from "../../offline/runtime";
import { PROJECT_DIR } from "../helpers/stack";

const parseError = (text: string): string => {
    try {
        parseStackFile(text, "Pulumi.dev.yaml");
    } catch (error) {
        return (error as Error).message;
    }
    throw new Error("expected a parse error");
};

describe("a stack file with a YAML mistake", () => {
    it("names file:line:column and the parser's reason for a tab used as indentation", () => {
        expect(parseError("config:\n  aks-zero-trust:prefix: zt\n\taks-zero-trust:location: westeurope\n")).toBe(
            "Pulumi.dev.yaml:3:1: invalid YAML: Tabs are not allowed as indentation; indent with spaces (in: \\taks-zero-trust:location: westeurope)",
        );
    });

    it("names the second of two equal keys", () => {
        expect(parseError("config:\n  aks-zero-trust:prefix: zt\n  aks-zero-trust:prefix: zz\n")).toBe(
            "Pulumi.dev.yaml:3:3: invalid YAML: Map keys must be unique (in: aks-zero-trust:prefix: zz)",
        );
    });

    it("names a key without its colon", () => {
        expect(parseError("config:\n  aks-zero-trust:prefix: zt\n  aks-zero-trust:location westeurope\n  aks-zero-trust:environment: dev\n")).toMatch(
            /^Pulumi\.dev\.yaml:3:3: invalid YAML: Implicit (map )?keys .*\(in: aks-zero-trust:location westeurope\)$/,
        );
    });

    it("names an unclosed [", () => {
        expect(parseError("config:\n  aks-zero-trust:cluster:\n    zones: [\"1\", \"2\"\n    skuTier: Free\n")).toMatch(
            /^Pulumi\.dev\.yaml:4:\d+: invalid YAML: .*end with a \]/,
        );
    });

    it("reads a valid file into Pulumi's flat config", () => {
        expect(parseStackFile("config:\n  aks-zero-trust:prefix: zt\n  aks-zero-trust:cluster: {zones: [\"1\"]}\n", "f.yaml")).toEqual({
            "aks-zero-trust:prefix": "zt",
            "aks-zero-trust:cluster": '{"zones":["1"]}',
        });
    });
});

/** The dev stack file with one text replacement. */
function devWith(from: string, to: string): string {
    const original = fs.readFileSync(path.join(PROJECT_DIR, "Pulumi.dev.yaml"), "utf8");
    if (!original.includes(from)) throw new Error(`Pulumi.dev.yaml no longer contains ${JSON.stringify(from)}`);
    return original.replace(from, to);
}

/** The problems of a stack file's config, each with its location, as ConfigError prints them. */
function configProblems(text: string): string[] {
    try {
        stackConfigOf(parseStack(text, "Pulumi.dev.yaml"), "dev");
    } catch (error) {
        if (error instanceof ConfigError) return error.problems.map((problem) => `${problem.location}: ${problem.path}: ${problem.message}`);
        throw error;
    }
    return [];
}

describe("YAML slips in a stack file", () => {
    it("refuses an unquoted *.stripe.com (a YAML alias) at its line and column, with the advice to quote it", () => {
        const text = devWith("- fqdn: api.stripe.com", "- fqdn: *.stripe.com");
        const line = text.split("\n").findIndex((row) => row.includes("*.stripe.com")) + 1;
        expect(parseError(text)).toBe(`Pulumi.dev.yaml:${line}:25: *.stripe.com is a YAML alias (a value starting with "*"), which stack config does not use; if you meant the text, quote it: "*.stripe.com"`);
    });

    it("refuses an alias in flow style and an alias to an anchor the stack did define", () => {
        expect(parseError("config:\n  aks-zero-trust:egress: {fqdns: [{fqdn: *.adyen.com, ports: [443]}]}\n")).toMatch(/^Pulumi\.dev\.yaml:2:42: \*\.adyen\.com is a YAML alias .*quote it: "\*\.adyen\.com"$/);
        expect(parseError("config:\n  aks-zero-trust:prefix: &p zt\n  aks-zero-trust:location: *p\n")).toMatch(/^Pulumi\.dev\.yaml:2:26: &p is a YAML anchor .*quote it: "&p zt"$/);
    });

    it("refuses a key outside config: (a segmentation block that would be ignored)", () => {
        expect(parseError("config:\n  aks-zero-trust:prefix: zt\nsegmentation:\n  namespaces: []\n")).toBe(
            'Pulumi.dev.yaml:3:1: unknown top-level key "segmentation": stack settings go under "config:" as "<namespace>:<key>" (e.g. aks-zero-trust:segmentation)',
        );
    });
});

describe("config errors in a stack file name their line", () => {
    it("names a misspelt config namespace and the nearest one, at the key's line", () => {
        expect(configProblems(devWith("aks-zero-trust:segmentation:", "aks-zerotrust:segmentation:"))).toEqual([
            expect.stringMatching(/^Pulumi\.dev\.yaml:\d+:3: aks-zerotrust:segmentation: unknown config namespace "aks-zerotrust" \(did you mean "aks-zero-trust:segmentation"\?\)/),
        ]);
    });

    it("names a config key without its namespace", () => {
        expect(configProblems(devWith("aks-zero-trust:segmentation:", "segmentation:"))).toEqual([
            expect.stringMatching(/^Pulumi\.dev\.yaml:\d+:3: segmentation: a config key needs its namespace: "aks-zero-trust:segmentation"$/),
        ]);
    });

    it("puts an unknown key in backend's egress at its own line and column, naming the workload", () => {
        const text = devWith("                  ports: [443]", "                  port: [443]");
        const line = text.split("\n").findIndex((row) => row.includes("port: [443]")) + 1;
        expect(configProblems(text)).toEqual([
            `Pulumi.dev.yaml:${line}:19: aks-zero-trust:segmentation.namespaces[shop].workloads[backend].egress.fqdns[0]: unknown key "port" (did you mean "ports"?)`,
        ]);
    });

    it("puts a bad value at the value", () => {
        const text = devWith("dnsServiceIp: 10.96.0.10", "dnsServiceIp: 10.97.0.10");
        const line = text.split("\n").findIndex((row) => row.includes("10.97.0.10")) + 1;
        expect(configProblems(text)).toEqual([`Pulumi.dev.yaml:${line}:19: aks-zero-trust:cluster.dnsServiceIp: 10.97.0.10 is outside the service CIDR 10.96.0.0/16 (cluster.serviceCidr)`]);
    });

    it("lists the stacks that exist when a stack file is missing", () => {
        const folder = fs.mkdtempSync(path.join(os.tmpdir(), "stacks-"));
        for (const stack of ["dev", "prod"]) fs.writeFileSync(path.join(folder, `Pulumi.${stack}.yaml`), "config: {}\n");
        expect(() => loadStackFile(path.join(folder, "Pulumi.staging.yaml"))).toThrow(/^cannot read stack file .*Pulumi\.staging\.yaml: stacks here: dev, prod \(or --config FILE for another stack file\)$/);
    });
});
