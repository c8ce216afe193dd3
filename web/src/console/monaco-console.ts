/// <reference types="vite/client" />
/**
 * The Monaco side of the console, loaded lazily (dynamic import) so the page is usable before
 * the editor arrives. Core editor API only, plus the few features the console uses: hovers,
 * suggestions, code actions (quick fixes), clipboard. No language workers.
 */
import * as monaco from 'monaco-editor/editor';
import 'monaco-editor/features/codicon/register';
import 'monaco-editor/features/hover/register';
import 'monaco-editor/features/suggest/register';
import 'monaco-editor/editor/contrib/suggest/browser/suggestController';
import 'monaco-editor/features/snippet/register';
import 'monaco-editor/features/codeAction/register';
import 'monaco-editor/features/clipboard/register';
import 'monaco-editor/features/placeholderText/register';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';
import type { SessionSnapshot } from '../../../protocol/session/index.ts';
import { completionsFor, type CompletionKind } from './completions.ts';
import { diagnoseLine, type DiagnosticSeverity } from './diagnostics.ts';
import type { CommandHistory } from './history.ts';
import { hoverFor } from './hovers.ts';
import type { InputMode } from './input-mode.ts';
import { SMTP_LANGUAGE_ID, smtpMonarch, smtpTheme } from './smtp-language.ts';

/** What the providers need to know about the conversation, read when they run. */
export interface ConsoleContext {
  readonly mode: InputMode;
  readonly snapshot: SessionSnapshot;
  readonly usedAddresses: readonly string[];
}

export interface ConsoleEditorOptions {
  readonly initialValue: string;
  readonly placeholder: string;
  readonly dark: boolean;
  readonly history: CommandHistory;
  readonly getContext: () => ConsoleContext;
  /** The learner pressed Enter: send this text (one or several lines). */
  readonly onSubmit: (text: string) => void;
  /** The height the text needs, in pixels, so the host can grow the input with it. */
  readonly onContentHeight: (pixels: number) => void;
}

export interface ConsoleEditor {
  focus(): void;
  setDark(dark: boolean): void;
  /** What the empty input says (it changes with the input mode). */
  setPlaceholder(text: string): void;
  /** Re-checks the input after the conversation moved on (new state, new extensions). */
  refresh(): void;
  setValue(text: string): void;
  /** Inserts text at the cursor (the credentials helper). */
  insert(text: string): void;
  dispose(): void;
}

const MARKER_OWNER = 'smtp-console';
const contexts = new WeakMap<monaco.editor.ITextModel, () => ConsoleContext>();
let registered = false;

(self as unknown as { MonacoEnvironment: monaco.Environment }).MonacoEnvironment = {
  getWorker: () => new EditorWorker(),
};

/** Creates the console editor in `container`; its textarea is named "SMTP console". */
export function createConsoleEditor(container: HTMLElement, options: ConsoleEditorOptions): ConsoleEditor {
  registerLanguage();
  monaco.editor.setTheme(options.dark ? 'smtp-dark' : 'smtp-light');
  const model = monaco.editor.createModel(options.initialValue, SMTP_LANGUAGE_ID);
  // Suggestions, hovers and quick fixes float above the page, outside the app's contained panels.
  const overflowHost = document.createElement('div');
  overflowHost.className = 'monaco-editor smtp-console-overflow';
  document.body.append(overflowHost);
  contexts.set(model, options.getContext);
  const editor = monaco.editor.create(container, {
    model,
    ariaLabel: 'SMTP console',
    // A real <textarea> (not Chromium's EditContext div): the accessibility contract names a textarea.
    editContext: false,
    tabFocusMode: true,
    accessibilitySupport: 'auto',
    minimap: { enabled: false },
    lineNumbers: 'off',
    glyphMargin: false,
    folding: false,
    lineDecorationsWidth: 8,
    renderLineHighlight: 'none',
    overviewRulerLanes: 0,
    hideCursorInOverviewRuler: true,
    scrollBeyondLastLine: false,
    wordWrap: 'on',
    fontFamily: getComputedStyle(container).getPropertyValue('--font-mono') || 'monospace',
    fontSize: 14,
    lineHeight: 22,
    padding: { top: 8, bottom: 8 },
    automaticLayout: true,
    fixedOverflowWidgets: true,
    overflowWidgetsDomNode: overflowHost,
    contextmenu: false,
    wordBasedSuggestions: 'off',
    quickSuggestions: { other: true, comments: false, strings: true },
    suggestOnTriggerCharacters: true,
    acceptSuggestionOnEnter: 'smart',
    lightbulb: { enabled: monaco.editor.ShowLightbulbIconMode.On },
    scrollbar: { horizontal: 'hidden', vertical: 'auto', alwaysConsumeMouseWheel: false },
    placeholder: options.placeholder,
  });

  const currentText = (): string => model.getValue(monaco.editor.EndOfLinePreference.LF);
  const setText = (text: string): void => {
    model.setValue(text);
    const end = model.getFullModelRange().getEndPosition();
    editor.setPosition(end);
  };

  // Enter sends, unless a visible suggestion would change the text (then Enter accepts it,
  // as in a shell). A suggestion equal to what was typed never swallows the Enter.
  editor.addCommand(
    monaco.KeyCode.Enter,
    () => {
      editor.trigger('keyboard', 'hideSuggestWidget', null);
      const text = currentText();
      options.history.add(text);
      setText('');
      options.onSubmit(text);
    },
    '!suggestWidgetVisible || !suggestionMakesTextEdit',
  );
  editor.addCommand(monaco.KeyMod.Shift | monaco.KeyCode.Enter, () => editor.trigger('keyboard', 'type', { text: '\n' }));
  editor.addCommand(
    monaco.KeyCode.UpArrow,
    () => {
      const position = editor.getPosition();
      if (position !== null && position.lineNumber > 1) return editor.trigger('keyboard', 'cursorUp', null);
      const previous = options.history.previous(currentText());
      if (previous !== null) setText(previous);
    },
    '!suggestWidgetVisible',
  );
  editor.addCommand(
    monaco.KeyCode.DownArrow,
    () => {
      const position = editor.getPosition();
      if (position !== null && position.lineNumber < model.getLineCount()) return editor.trigger('keyboard', 'cursorDown', null);
      const next = options.history.next();
      if (next !== null) setText(next);
    },
    '!suggestWidgetVisible',
  );

  const validate = (): void => {
    const context = options.getContext();
    const markers: monaco.editor.IMarkerData[] = [];
    for (let lineNumber = 1; lineNumber <= model.getLineCount(); lineNumber++) {
      for (const diagnostic of diagnoseLine(model.getLineContent(lineNumber), lineMode(context, lineNumber), context.snapshot)) {
        markers.push({
          severity: SEVERITY[diagnostic.severity],
          message: diagnostic.message,
          startLineNumber: lineNumber,
          endLineNumber: lineNumber,
          startColumn: diagnostic.start + 1,
          endColumn: diagnostic.end + 1,
          source: 'SMTP Lab',
        });
      }
    }
    monaco.editor.setModelMarkers(model, MARKER_OWNER, markers);
  };
  const contentListener = model.onDidChangeContent(validate);
  const sizeListener = editor.onDidContentSizeChange((event) => options.onContentHeight(event.contentHeight));
  options.onContentHeight(editor.getContentHeight());
  validate();

  return {
    focus: () => editor.focus(),
    setDark: (dark) => monaco.editor.setTheme(dark ? 'smtp-dark' : 'smtp-light'),
    setPlaceholder: (text) => editor.updateOptions({ placeholder: text }),
    refresh: validate,
    setValue: setText,
    insert(text) {
      const selection = editor.getSelection();
      if (selection === null) return;
      editor.executeEdits('credentials-helper', [{ range: selection, text, forceMoveMarkers: true }]);
      editor.focus();
    },
    dispose() {
      contentListener.dispose();
      sizeListener.dispose();
      editor.dispose();
      model.dispose();
      overflowHost.remove();
    },
  };
}

const SEVERITY: Readonly<Record<DiagnosticSeverity, monaco.MarkerSeverity>> = {
  error: monaco.MarkerSeverity.Error,
  warning: monaco.MarkerSeverity.Warning,
  info: monaco.MarkerSeverity.Info,
};

const COMPLETION_KIND: Readonly<Record<CompletionKind, monaco.languages.CompletionItemKind>> = {
  command: monaco.languages.CompletionItemKind.Keyword,
  parameter: monaco.languages.CompletionItemKind.Property,
  address: monaco.languages.CompletionItemKind.Value,
  mechanism: monaco.languages.CompletionItemKind.EnumMember,
  header: monaco.languages.CompletionItemKind.Field,
};

/** The mode a line of the model is read in: the first line is the next line the server reads. */
function lineMode(context: ConsoleContext, lineNumber: number): InputMode {
  if (lineNumber === 1 || context.mode === 'data') return context.mode;
  return 'command';
}

function registerLanguage(): void {
  if (registered) return;
  registered = true;
  monaco.languages.register({ id: SMTP_LANGUAGE_ID });
  monaco.languages.setMonarchTokensProvider(SMTP_LANGUAGE_ID, smtpMonarch);
  monaco.editor.defineTheme('smtp-light', smtpTheme(false));
  monaco.editor.defineTheme('smtp-dark', smtpTheme(true));

  monaco.languages.registerCompletionItemProvider(SMTP_LANGUAGE_ID, {
    triggerCharacters: [' ', ':', '<', '='],
    provideCompletionItems(model, position) {
      const getContext = contexts.get(model);
      if (!getContext) return { suggestions: [] };
      const context = getContext();
      const line = model.getLineContent(position.lineNumber);
      const result = completionsFor(line, position.column - 1, lineMode(context, position.lineNumber), context.snapshot, context.usedAddresses);
      const range = new monaco.Range(position.lineNumber, result.start + 1, position.lineNumber, result.end + 1);
      return {
        suggestions: result.items.map((item, index) => ({
          label: item.label,
          kind: COMPLETION_KIND[item.kind],
          detail: item.detail,
          documentation: { value: item.documentation },
          insertText: item.insertText,
          insertTextRules: item.snippet ? monaco.languages.CompletionItemInsertTextRule.InsertAsSnippet : undefined,
          sortText: String(index).padStart(3, '0'),
          range,
        })),
      };
    },
  });

  monaco.languages.registerHoverProvider(SMTP_LANGUAGE_ID, {
    provideHover(model, position) {
      const getContext = contexts.get(model);
      if (!getContext) return null;
      const line = model.getLineContent(position.lineNumber);
      const hover = hoverFor(line, position.column - 1, lineMode(getContext(), position.lineNumber));
      if (hover === null) return null;
      return {
        range: new monaco.Range(position.lineNumber, hover.start + 1, position.lineNumber, hover.end + 1),
        contents: [{ value: hover.markdown }],
      };
    },
  });

  monaco.languages.registerCodeActionProvider(SMTP_LANGUAGE_ID, {
    provideCodeActions(model, range, context) {
      const getContext = contexts.get(model);
      if (!getContext) return { actions: [], dispose: () => undefined };
      const consoleContext = getContext();
      const actions: monaco.languages.CodeAction[] = [];
      for (let lineNumber = range.startLineNumber; lineNumber <= range.endLineNumber; lineNumber++) {
        const line = model.getLineContent(lineNumber);
        for (const diagnostic of diagnoseLine(line, lineMode(consoleContext, lineNumber), consoleContext.snapshot)) {
          if (diagnostic.fix === null) continue;
          const markers = context.markers.filter((marker) => marker.startLineNumber === lineNumber && marker.message === diagnostic.message);
          actions.push({
            title: diagnostic.fix.title,
            kind: 'quickfix',
            isPreferred: true,
            diagnostics: markers,
            edit: {
              edits: [
                {
                  resource: model.uri,
                  versionId: model.getVersionId(),
                  textEdit: { range: new monaco.Range(lineNumber, 1, lineNumber, line.length + 1), text: diagnostic.fix.line },
                },
              ],
            },
          });
        }
      }
      return { actions, dispose: () => undefined };
    },
  });
}
