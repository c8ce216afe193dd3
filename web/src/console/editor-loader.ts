/**
 * Loads the Monaco console (a large lazy chunk) once. The page's start begins the download
 * (main.ts), so it overlaps with deciding and mounting the page; the console waits for it.
 */
export type ConsoleEditorModule = typeof import('./monaco-console.ts');

let loading: Promise<ConsoleEditorModule> | null = null;

export function loadConsoleEditor(): Promise<ConsoleEditorModule> {
  loading ??= import('./monaco-console.ts');
  return loading;
}
