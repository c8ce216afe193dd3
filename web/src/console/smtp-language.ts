/**
 * The SMTP console language for Monaco's Monarch tokenizer: verbs, FROM:/TO:, paths `<…>`,
 * ESMTP parameters, SASL mechanisms, base64, reply codes and enhanced status codes, and the
 * leading dots of message lines. Pure data, so it loads and tests without Monaco.
 */
import type { editor, languages } from 'monaco-editor/editor';
import { VERBS } from '../../../protocol/commands/index.ts';

export const SMTP_LANGUAGE_ID = 'smtp';

export const smtpMonarch: languages.IMonarchLanguage = {
  ignoreCase: true,
  defaultToken: '',
  tokenPostfix: '.smtp',
  tokenizer: {
    root: [
      [/^\d{3}(?=[ -]|$)/, 'number.reply'],
      [/\b[245]\.\d{1,3}\.\d{1,3}\b/, 'number.enhanced'],
      [new RegExp(`^\\s*(?:${VERBS.join('|')})(?=\\s|$)`), 'keyword.verb'],
      [/\b(?:FROM|TO):/, 'keyword.path'],
      [/<[^>\s]*>?/, 'string.path'],
      [/\b[A-Za-z0-9-]+(?==)/, 'attribute.name'],
      [/=[^\s]*/, 'attribute.value'],
      [/\b(?:PLAIN|LOGIN|CRAM-MD5|XOAUTH2|SMTPUTF8|8BITMIME|LAST)\b/, 'type.keyword'],
      [/^\.\.?/, 'delimiter.dot'],
      [/[A-Za-z0-9+/]{12,}={0,2}(?=\s|$)/, 'string.base64'],
      [/[^\s<=]+/, ''],
      [/\s+/, 'white'],
    ],
  },
};

/** Token colours for the light and dark themes (the tokens.css palette). */
function rules(dark: boolean): editor.ITokenThemeRule[] {
  const c = dark
    ? { verb: '7fb2ff', path: 'c3a2ff', param: 'f2b661', value: 'e6e9ee', code: '6fd29a', enhanced: '6fd29a', type: '8dbbff', base64: 'f2b661', dot: 'ff8f85' }
    : { verb: '0a58ca', path: '6b3fb0', param: '8a5300', value: '1b1f24', code: '16703a', enhanced: '16703a', type: '0a4fb8', base64: '8a5300', dot: 'b42318' };
  return [
    { token: 'keyword.verb', foreground: c.verb, fontStyle: 'bold' },
    { token: 'keyword.path', foreground: c.verb },
    { token: 'string.path', foreground: c.path },
    { token: 'attribute.name', foreground: c.param },
    { token: 'attribute.value', foreground: c.value },
    { token: 'type.keyword', foreground: c.type },
    { token: 'string.base64', foreground: c.base64, fontStyle: 'italic' },
    { token: 'number.reply', foreground: c.code, fontStyle: 'bold' },
    { token: 'number.enhanced', foreground: c.enhanced },
    { token: 'delimiter.dot', foreground: c.dot, fontStyle: 'bold' },
  ];
}

/** The placeholder says what to type: the app's muted text (--color-text-muted), 4.5:1 on the console (WCAG AA). */
const PLACEHOLDER = { light: '#545d6a', dark: '#a3acb9' } as const;

/** Monaco themes matching the app's tokens; the background is the console surface. */
export function smtpTheme(dark: boolean): editor.IStandaloneThemeData {
  return {
    base: dark ? 'vs-dark' : 'vs',
    inherit: true,
    rules: rules(dark),
    colors: dark
      ? { 'editor.background': '#12161b', 'editor.foreground': '#e6e9ee', 'editorCursor.foreground': '#6ea8ff', 'editor.selectionBackground': '#1b2f52', 'editor.placeholder.foreground': PLACEHOLDER.dark }
      : { 'editor.background': '#ffffff', 'editor.foreground': '#1b1f24', 'editorCursor.foreground': '#0b5cd5', 'editor.selectionBackground': '#dbe8fd', 'editor.placeholder.foreground': PLACEHOLDER.light },
  };
}
