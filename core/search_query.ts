/**
 * What the search box's text becomes in SQL: one spelling for words written three ways ("front end",
 * "front-end", "frontend"), the same rewrite as the SQL function `rf_search_words` (migration 0060) that the
 * stored vectors went through, and the last word as a prefix ("engin" finds "engineer") unless the text
 * ends in a quoted phrase or an operator.
 */

/** Same rules as `rf_search_words` (migration 0060); `search_query_test.ts` checks both agree. */
export function searchWords(text: string): string {
  return text.replace(/\b(front|back)[- ]?end\b/gi, "$1end").replace(/\bfull[- ]?stack\b/gi, "fullstack");
}

export interface SearchText {
  /** For `websearch_to_tsquery('english', …)`: quoted phrases, `-word`, `or`, plain words. */
  web: string;
  /** A last word to match as a prefix (`to_tsquery('english', word || ':*')`), letters and digits only. */
  prefix: string | null;
}

/** Splits the typed text into the websearch part and a prefix word. */
export function parseSearchText(q: string): SearchText {
  const text = searchWords(q).trim();
  const m = /(?:^|\s)([\p{L}\p{N}]{2,})$/u.exec(text);
  // An odd number of quotes: the last word is inside an open phrase; "or" is an operator, not a word.
  if (!m || (text.split('"').length - 1) % 2 === 1 || /^or$/i.test(m[1])) return { web: text, prefix: null };
  return { web: text.slice(0, text.length - m[1].length).trim(), prefix: m[1] };
}
