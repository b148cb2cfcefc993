import { describe, expect, it } from "vitest";
import { SelectorSyntaxError, matchesSelector, parseSelector, selectorText } from "../../reach";

const labels = (record: Record<string, string>) => new Map(Object.entries(record));
const web = labels({ app: "shop", tier: "web", "app.kubernetes.io/name": "frontend-v2" });
const bare = labels({});

function matches(selector: string, target = web, global = false): boolean {
    return matchesSelector(parseSelector(selector), target, global);
}

describe("Calico selector evaluation", () => {
    it("== and != compare values; != is true when the label is absent", () => {
        expect(matches("tier == 'web'")).toBe(true);
        expect(matches('tier == "api"')).toBe(false);
        expect(matches("tier != 'api'")).toBe(true);
        expect(matches("tier != 'web'")).toBe(false);
        expect(matches("tier != 'web'", bare)).toBe(true);
        expect(matches("tier == 'web'", bare)).toBe(false);
    });

    it("in needs the label; not in is true when the label is absent", () => {
        expect(matches("tier in {'web', 'api'}")).toBe(true);
        expect(matches("tier in {'api'}")).toBe(false);
        expect(matches("tier in {'web'}", bare)).toBe(false);
        expect(matches("tier not in {'api', 'data'}")).toBe(true);
        expect(matches("tier not in {'web'}")).toBe(false);
        expect(matches("tier not in {'web'}", bare)).toBe(true);
        expect(matches("tier in {}")).toBe(false);
    });

    it("has() and !has() test presence", () => {
        expect(matches("has(tier)")).toBe(true);
        expect(matches("has(tier)", bare)).toBe(false);
        expect(matches("!has(tier)", bare)).toBe(true);
        expect(matches("!has(tier)")).toBe(false);
        expect(matches("has(app.kubernetes.io/name)")).toBe(true);
    });

    it("contains, starts with and ends with need the label", () => {
        expect(matches("app.kubernetes.io/name contains 'end-v'")).toBe(true);
        expect(matches("app.kubernetes.io/name starts with 'frontend'")).toBe(true);
        expect(matches("app.kubernetes.io/name ends with '-v2'")).toBe(true);
        expect(matches("app.kubernetes.io/name ends with '-v1'")).toBe(false);
        expect(matches("tier starts with ''", bare)).toBe(false);
        expect(matches("tier contains ''", bare)).toBe(false);
    });

    it("all() matches everything and global() only non-namespaced entities", () => {
        expect(matches("all()", bare)).toBe(true);
        expect(matches("global()")).toBe(false);
        expect(matches("global()", bare, true)).toBe(true);
        expect(matches("")).toBe(true);
    });

    it("&& binds tighter than ||, ! binds tightest, parentheses override", () => {
        // Parsed as (tier == 'api' && app == 'none') || app == 'shop'.
        expect(matches("tier == 'api' && app == 'none' || app == 'shop'")).toBe(true);
        expect(matches("tier == 'api' && (app == 'none' || app == 'shop')")).toBe(false);
        expect(matches("!tier == 'api' && app == 'shop'")).toBe(true);
        expect(matches("!(tier == 'web' && app == 'shop')")).toBe(false);
        expect(matches("! ! has(tier)")).toBe(true);
    });

    it("prints a canonical form that parses back to the same meaning", () => {
        const text = "tier == 'api' && (app == 'none' || app == \"shop\") && !has(x) && tier not in {'a', 'b'}";
        const printed = selectorText(parseSelector(text));
        expect(printed).toBe('tier == "api" && (app == "none" || app == "shop") && !has(x) && tier not in {"a", "b"}');
        expect(selectorText(parseSelector(printed))).toBe(printed);
        expect(selectorText(parseSelector("a == 'say \"hi\"'"))).toBe("a == 'say \"hi\"'");
    });
});

describe("Calico selector syntax errors name the column", () => {
    const cases: [string, number, string][] = [
        ['(a == "b"', 10, "expected ')', found end of selector"],
        ['a = "b"', 3, "unexpected character '='"],
        ["a == b", 6, "expected a quoted string, found 'b'"],
        ["has(a", 6, "expected ')', found end of selector"],
        ["a in {'x' 'y'}", 11, "expected ',' or '}', found \"y\""],
        ["a == 'x' &&", 12, "expected a label"],
        ["a == 'x", 6, "unterminated string"],
        ["a starts 'x'", 10, "expected 'with'"],
        ["a == 'x' b == 'y'", 10, "expected '&&', '||' or end of selector"],
        ["a", 2, "expected an operator"],
    ];
    for (const [text, column, detail] of cases) {
        it(`${JSON.stringify(text)} fails at column ${column}`, () => {
            let caught: unknown;
            try {
                parseSelector(text);
            } catch (error) {
                caught = error;
            }
            expect(caught).toBeInstanceOf(SelectorSyntaxError);
            const error = caught as SelectorSyntaxError;
            expect(error.column).toBe(column);
            expect(error.message).toContain(`invalid selector at column ${column}: ${detail}`);
        });
    }
});
