import { isMap, isPair, isSeq, LineCounter } from 'yaml';

/**
 * The nesting guard. The YAML parser recurses per level, and its time and memory explode on deep
 * nesting, so deep text is refused before it parses (`nestingExceedsAt`) and a parsed tree is
 * measured once more before it is converted (`depthExceeds`).
 */
export const MAX_DEPTH = 64;
export const TOO_DEEP = `The file nests deeper than ${MAX_DEPTH} levels; a config file is two or three levels deep.`;

/** Line and column (1-based) of an offset, for text the YAML parser has not seen. */
export function positionIn(text: string, offset: number): { line: number; column: number } {
  const { line, col } = lineCounterOf(text).linePos(offset);
  return { line, column: col };
}

function lineCounterOf(text: string): LineCounter {
  const lc = new LineCounter();
  lc.addNewLine(0);
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lc.addNewLine(i + 1);
  return lc;
}

const isBlank = (c: string | undefined) => c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === undefined;

/**
 * Where the text nests deeper than `limit`, found in one linear pass before the YAML parser sees it:
 * the parser recurses per level, and its time and memory explode on deep nesting. Counts flow
 * brackets (skipping quoted text and comments, as YAML does) and block levels (indentation plus
 * compact `- `/`? `/`: ` indicators). It over-counts in odd corners (a bracket starting a continued
 * plain scalar), never under-counts flow nesting, and a real config is three levels deep.
 */
export function nestingExceedsAt(text: string, limit: number): number | undefined {
  const n = text.length;
  const indents: number[] = [];
  let flow = 0;
  let i = 0;
  // Skip a quoted scalar starting at `i` (on its quote); returns the index after its closing quote.
  const skipQuoted = (at: number): number => {
    const q = text[at];
    let j = at + 1;
    while (j < n) {
      const c = text[j];
      if (q === '"' && c === '\\') j += 2;
      else if (c === q) {
        if (q === "'" && text[j + 1] === "'") j += 2;
        else return j + 1;
      } else j++;
    }
    return n;
  };
  const skipToLineEnd = (at: number): number => {
    const e = text.indexOf('\n', at);
    return e < 0 ? n : e;
  };
  while (i < n) {
    // At the start of a line. Block levels are the columns nodes start at: the indentation, and the
    // column after each compact `- `/`? `/`: ` indicator; a line closes the levels right of its indent.
    const lineStart = i;
    while (text[i] === ' ') i++;
    // The column of the node a block scalar on this line belongs to: its content is indented deeper.
    let ownerColumn = i - lineStart;
    if (flow === 0) {
      const c = text[i];
      if (c === '\n' || c === '\r' || c === '#' || i >= n) {
        i = skipToLineEnd(i) + 1;
        continue;
      }
      const indent = i - lineStart;
      // A document marker (--- or ...) may be followed by a node on the same line.
      if (indent === 0 && (text.startsWith('---', i) || text.startsWith('...', i)) && isBlank(text[i + 3])) i += 3;
      while (indents.length && indents[indents.length - 1]! > indent) indents.pop();
      if (indents[indents.length - 1] !== indent) indents.push(indent);
      while ((text[i] === '-' || text[i] === '?' || text[i] === ':') && isBlank(text[i + 1])) {
        ownerColumn = i - lineStart;
        i++;
        while (text[i] === ' ' || text[i] === '\t') i++;
        indents.push(i - lineStart);
        if (indents.length > limit) return i;
      }
      if (indents.length > limit) return i;
    }
    // The rest of the line, token by token. `start`: the next character may begin a scalar.
    let start = true;
    while (i < n && text[i] !== '\n') {
      const c = text[i]!;
      if (c === ' ' || c === '\t' || c === '\r') {
        i++;
        if (text[i] === '#') i = skipToLineEnd(i);
        else if (flow > 0) start = true;
        continue;
      }
      if (c === '#' && start && flow === 0) {
        i = skipToLineEnd(i);
        continue;
      }
      if ((c === '[' || c === '{') && (start || flow > 0)) {
        if (++flow > limit) return i;
        i++;
        start = true;
        continue;
      }
      if ((c === ']' || c === '}') && flow > 0) {
        flow--;
        i++;
        start = flow > 0;
        continue;
      }
      if ((c === '"' || c === "'") && start) {
        i = skipQuoted(i);
        start = false;
        continue;
      }
      if ((c === ':' || c === '?' || c === '-') && isBlank(text[i + 1])) {
        // After a key, a block scalar belongs to the key.
        if (c === ':' && flow === 0) ownerColumn = indents[indents.length - 1] ?? 0;
        i++;
        start = true;
        continue;
      }
      if ((c === ',' || c === ':') && flow > 0) {
        // A separator, or JSON style `"key":value`, inside flow collections.
        i++;
        start = true;
        continue;
      }
      if ((c === '&' || c === '!') && start) {
        // An anchor or tag: the node follows it.
        while (i < n && !isBlank(text[i]) && !(flow > 0 && ',[]{}'.includes(text[i]!))) i++;
        continue;
      }
      if (start && flow === 0 && (c === '|' || c === '>')) {
        // A block scalar: its lines are text. They are indented as its first non-empty line (or
        // by the header's indentation indicator), deeper than the node it belongs to.
        const digit = /[1-9]/.exec(text.slice(i + 1, i + 3))?.[0];
        let contentIndent = digit ? ownerColumn + Number(digit) : undefined;
        i = skipToLineEnd(i);
        while (i < n) {
          let j = i + 1;
          while (text[j] === ' ') j++;
          const k = j - i - 1;
          const blank = j >= n || text[j] === '\n' || text[j] === '\r';
          if (!blank) {
            contentIndent ??= k;
            if (k <= ownerColumn || k < contentIndent) break;
          }
          i = skipToLineEnd(j);
        }
        continue;
      }
      // Inside a plain scalar: flow indicators end it within flow collections only.
      start = false;
      i++;
    }
    i++;
  }
  return undefined;
}

export function depthExceeds(root: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[root, 1]];
  while (stack.length) {
    const [node, depth] = stack.pop()!;
    if (depth > limit) return true;
    if (isMap(node) || isSeq(node)) {
      for (const item of node.items) {
        if (isPair(item)) {
          stack.push([item.key, depth + 1], [item.value, depth + 1]);
        } else stack.push([item, depth + 1]);
      }
    }
  }
  return false;
}
