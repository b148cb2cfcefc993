/** The width of the widest line of a text, in characters as a terminal shows them (├─ is two, not six bytes). */
export function widestLine(text: string): number {
    return Math.max(0, ...text.split("\n").map((line) => [...line].length));
}
