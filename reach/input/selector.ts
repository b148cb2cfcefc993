/**
 * The Calico selector language: tokenizer, recursive-descent parser, evaluator and printer.
 * Kubernetes LabelSelectors are translated into the same tree (see labels.ts), so one evaluator
 * and one label index serve both.
 *
 * Grammar (Calico docs, "Selectors" in the NetworkPolicy reference), lowest precedence first:
 *   expression := and ( "||" and )*
 *   and        := unary ( "&&" unary )*
 *   unary      := "!" unary | "(" expression ")" | "all()" | "global()" | "has(" key ")" | comparison
 *   comparison := key ( "==" str | "!=" str | "in" set | "not" "in" set
 *                     | "contains" str | "starts" "with" str | "ends" "with" str )
 *   set        := "{" ( str ( "," str )* )? "}"
 */

/** Labels of an endpoint, namespace or network set. */
export type Labels = ReadonlyMap<string, string>;

/** A parsed selector. */
export type Selector =
    | { readonly op: "all" }
    | { readonly op: "global" }
    | { readonly op: "has"; readonly key: string }
    | { readonly op: "==" | "!=" | "contains" | "starts with" | "ends with"; readonly key: string; readonly value: string }
    | { readonly op: "in" | "not in"; readonly key: string; readonly values: readonly string[] }
    | { readonly op: "!"; readonly operand: Selector }
    | { readonly op: "&&" | "||"; readonly operands: readonly Selector[] };

/** A syntax error in a selector, with the 1-based column where parsing failed. */
export class SelectorSyntaxError extends Error {
    /** 1-based column of the offending character (length + 1 at the end of the text). */
    readonly column: number;
    /** What the parser expected or found. */
    readonly detail: string;

    constructor(column: number, detail: string) {
        super(`invalid selector at column ${column}: ${detail}`);
        this.name = "SelectorSyntaxError";
        this.column = column;
        this.detail = detail;
    }
}

/** The selector that matches everything. */
export const ALL: Selector = { op: "all" };

type TokenKind = "word" | "string" | "(" | ")" | "{" | "}" | "," | "&&" | "||" | "==" | "!=" | "!" | "end";

interface Token {
    readonly kind: TokenKind;
    readonly text: string;
    /** 0-based offset in the selector text. */
    readonly offset: number;
}

// Label keys may carry a DNS prefix and slash (app.kubernetes.io/name), so words allow . / - _.
const WORD_CHAR = /[A-Za-z0-9_.\/-]/;

function tokenize(text: string): Token[] {
    const tokens: Token[] = [];
    let i = 0;
    while (i < text.length) {
        const ch = text[i]!;
        if (ch === " " || ch === "\t" || ch === "\n" || ch === "\r") {
            i++;
            continue;
        }
        const two = text.slice(i, i + 2);
        if (two === "&&" || two === "||" || two === "==" || two === "!=") {
            tokens.push({ kind: two, text: two, offset: i });
            i += 2;
            continue;
        }
        if (ch === "(" || ch === ")" || ch === "{" || ch === "}" || ch === "," || ch === "!") {
            tokens.push({ kind: ch, text: ch, offset: i });
            i++;
            continue;
        }
        if (ch === '"' || ch === "'") {
            const close = text.indexOf(ch, i + 1);
            if (close < 0) throw new SelectorSyntaxError(i + 1, `unterminated string starting with ${ch}`);
            tokens.push({ kind: "string", text: text.slice(i + 1, close), offset: i });
            i = close + 1;
            continue;
        }
        if (WORD_CHAR.test(ch)) {
            const start = i;
            while (i < text.length && WORD_CHAR.test(text[i]!)) i++;
            tokens.push({ kind: "word", text: text.slice(start, i), offset: start });
            continue;
        }
        throw new SelectorSyntaxError(i + 1, `unexpected character '${ch}'`);
    }
    tokens.push({ kind: "end", text: "", offset: text.length });
    return tokens;
}

class Parser {
    private position = 0;

    constructor(private readonly tokens: readonly Token[]) {}

    parse(): Selector {
        const selector = this.expression();
        const next = this.peek();
        if (next.kind !== "end") this.fail(next, "expected '&&', '||' or end of selector");
        return selector;
    }

    private peek(offset = 0): Token {
        return this.tokens[Math.min(this.position + offset, this.tokens.length - 1)]!;
    }

    private take(): Token {
        const token = this.peek();
        if (token.kind !== "end") this.position++;
        return token;
    }

    private fail(token: Token, detail: string): never {
        const found = token.kind === "end" ? "end of selector" : token.kind === "string" ? quote(token.text) : `'${token.text}'`;
        throw new SelectorSyntaxError(token.offset + 1, `${detail}, found ${found}`);
    }

    private expect(kind: TokenKind, what = `'${kind}'`): Token {
        const token = this.peek();
        if (token.kind !== kind) this.fail(token, `expected ${what}`);
        return this.take();
    }

    private expectWord(word: string): void {
        const token = this.peek();
        if (token.kind !== "word" || token.text !== word) this.fail(token, `expected '${word}'`);
        this.take();
    }

    private expression(): Selector {
        const operands = [this.conjunction()];
        while (this.peek().kind === "||") {
            this.take();
            operands.push(this.conjunction());
        }
        return operands.length === 1 ? operands[0]! : { op: "||", operands };
    }

    private conjunction(): Selector {
        const operands = [this.unary()];
        while (this.peek().kind === "&&") {
            this.take();
            operands.push(this.unary());
        }
        return operands.length === 1 ? operands[0]! : { op: "&&", operands };
    }

    private unary(): Selector {
        const token = this.peek();
        if (token.kind === "!") {
            this.take();
            return { op: "!", operand: this.unary() };
        }
        if (token.kind === "(") {
            this.take();
            const inner = this.expression();
            this.expect(")");
            return inner;
        }
        if (token.kind !== "word") this.fail(token, "expected a label, '!', '(', 'has(', 'all()' or 'global()'");
        if (this.peek(1).kind === "(" && (token.text === "has" || token.text === "all" || token.text === "global")) {
            this.take();
            this.take();
            if (token.text === "has") {
                const key = this.expect("word", "a label name").text;
                this.expect(")");
                return { op: "has", key };
            }
            this.expect(")");
            return token.text === "all" ? ALL : { op: "global" };
        }
        return this.comparison();
    }

    private comparison(): Selector {
        const key = this.take().text;
        const operator = this.peek();
        if (operator.kind === "==" || operator.kind === "!=") {
            this.take();
            return { op: operator.kind, key, value: this.value() };
        }
        if (operator.kind === "word") {
            switch (operator.text) {
                case "in":
                    this.take();
                    return { op: "in", key, values: this.set() };
                case "not":
                    this.take();
                    this.expectWord("in");
                    return { op: "not in", key, values: this.set() };
                case "contains":
                    this.take();
                    return { op: "contains", key, value: this.value() };
                case "starts":
                    this.take();
                    this.expectWord("with");
                    return { op: "starts with", key, value: this.value() };
                case "ends":
                    this.take();
                    this.expectWord("with");
                    return { op: "ends with", key, value: this.value() };
            }
        }
        this.fail(operator, "expected an operator (==, !=, in, not in, contains, starts with, ends with)");
    }

    private value(): string {
        return this.expect("string", "a quoted string").text;
    }

    private set(): string[] {
        this.expect("{");
        const values: string[] = [];
        if (this.peek().kind === "}") {
            this.take();
            return values;
        }
        values.push(this.value());
        while (this.peek().kind === ",") {
            this.take();
            values.push(this.value());
        }
        this.expect("}", "',' or '}'");
        return values;
    }
}

/** Parses a Calico selector; throws SelectorSyntaxError with the column on bad syntax. An empty text is all(). */
export function parseSelector(text: string): Selector {
    if (text.trim() === "") return ALL;
    return new Parser(tokenize(text)).parse();
}

/** True when the labels satisfy the selector; `global` is true only for non-namespaced entities (global() matches them). */
export function matchesSelector(selector: Selector, labels: Labels, global = false): boolean {
    switch (selector.op) {
        case "all":
            return true;
        case "global":
            return global;
        case "has":
            return labels.has(selector.key);
        case "==":
            return labels.get(selector.key) === selector.value;
        case "!=":
            // Calico: true when the label is absent.
            return labels.get(selector.key) !== selector.value;
        case "in": {
            const value = labels.get(selector.key);
            return value !== undefined && selector.values.includes(value);
        }
        case "not in": {
            const value = labels.get(selector.key);
            return value === undefined || !selector.values.includes(value);
        }
        case "contains": {
            const value = labels.get(selector.key);
            return value !== undefined && value.includes(selector.value);
        }
        case "starts with": {
            const value = labels.get(selector.key);
            return value !== undefined && value.startsWith(selector.value);
        }
        case "ends with": {
            const value = labels.get(selector.key);
            return value !== undefined && value.endsWith(selector.value);
        }
        case "!":
            return !matchesSelector(selector.operand, labels, global);
        case "&&":
            return selector.operands.every((operand) => matchesSelector(operand, labels, global));
        case "||":
            return selector.operands.some((operand) => matchesSelector(operand, labels, global));
    }
}

function quote(value: string): string {
    return value.includes('"') ? `'${value}'` : `"${value}"`;
}

/** Prints a selector in canonical Calico syntax (parseable again). */
export function selectorText(selector: Selector): string {
    switch (selector.op) {
        case "all":
            return "all()";
        case "global":
            return "global()";
        case "has":
            return `has(${selector.key})`;
        case "in":
        case "not in":
            return `${selector.key} ${selector.op} {${selector.values.map(quote).join(", ")}}`;
        case "!":
            return selector.operand.op === "&&" || selector.operand.op === "||"
                ? `!(${selectorText(selector.operand)})`
                : `!${selectorText(selector.operand)}`;
        case "&&":
            return selector.operands
                .map((operand) => (operand.op === "||" ? `(${selectorText(operand)})` : selectorText(operand)))
                .join(" && ");
        case "||":
            return selector.operands.map(selectorText).join(" || ");
        default:
            return `${selector.key} ${selector.op} ${quote(selector.value)}`;
    }
}

/** Joins selectors with &&, dropping all() terms. */
export function andSelectors(...selectors: Selector[]): Selector {
    const operands = selectors.filter((selector) => selector.op !== "all");
    if (operands.length === 0) return ALL;
    if (operands.length === 1) return operands[0]!;
    return { op: "&&", operands: operands.flatMap((operand) => (operand.op === "&&" ? operand.operands : [operand])) };
}

/**
 * A condition every match of a selector must satisfy, usable to look candidates up in a label index:
 * the label `key` must be present, and (when `values` is given) carry one of those values.
 */
export interface LabelRequirement {
    readonly key: string;
    readonly values?: readonly string[];
}

/** Necessary label requirements of a selector (any one of them narrows the candidates); empty when none is known. */
export function requiredLabels(selector: Selector): LabelRequirement[] {
    switch (selector.op) {
        case "has":
        case "contains":
        case "starts with":
        case "ends with":
            return [{ key: selector.key }];
        case "==":
            return [{ key: selector.key, values: [selector.value] }];
        case "in":
            return [{ key: selector.key, values: selector.values }];
        case "&&":
            return selector.operands.flatMap(requiredLabels);
        default:
            return [];
    }
}
