/**
 * Remembers what is made from a statement's text (a prepared statement, a numbered text). The
 * stores' texts are constants, so this stays small; should a caller ever build texts on the fly,
 * the bound makes it start over rather than grow.
 */
const MAX_TEXTS = 1000;

export function textMemo<T>(make: (sql: string) => T): (sql: string) => T {
  const made = new Map<string, T>();
  return (sql) => {
    let value = made.get(sql);
    if (value === undefined) {
      value = make(sql);
      if (made.size >= MAX_TEXTS) made.clear();
      made.set(sql, value);
    }
    return value;
  };
}
