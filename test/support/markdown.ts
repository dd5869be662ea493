import { marked, type Token } from 'marked';

/** Every token of a Markdown document (GitHub-flavoured), inline ones and table cells included. */
export function tokensOf(markdown: string): Token[] {
  const all: Token[] = [];
  const walk = (list: readonly Token[] | undefined) => {
    for (const t of list ?? []) {
      all.push(t);
      const any = t as Token & { tokens?: Token[]; items?: Token[]; header?: { tokens: Token[] }[]; rows?: { tokens: Token[] }[][] };
      walk(any.tokens);
      walk(any.items);
      for (const c of any.header ?? []) walk(c.tokens);
      for (const r of any.rows ?? []) for (const c of r) walk(c.tokens);
    }
  };
  walk(marked.lexer(markdown, { gfm: true }));
  return all;
}
