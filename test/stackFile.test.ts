import { describe, expect, it } from "vitest";
import { parseStackFile } from "../offline/runtime";

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
            "Pulumi.dev.yaml:3:1: invalid YAML: Tabs are not allowed as indentation (in: \\taks-zero-trust:location: westeurope)",
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
