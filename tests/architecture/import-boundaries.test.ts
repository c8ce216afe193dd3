// The folders' contract (docs/architecture.md): protocol/ runs unchanged in the browser and in
// Node, so it imports no Node built-in and uses no DOM; web/ and server/ share code only
// through protocol/. Checked on the import graph and, for protocol/, by compiling it without
// Node's or the DOM's type declarations.
import { builtinModules } from 'node:module';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const sourceFile = /\.(ts|svelte)$/;

function filesUnder(folder: string): string[] {
  return readdirSync(join(root, folder), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && sourceFile.test(entry.name))
    .map((entry) => relative(root, join(entry.parentPath, entry.name)));
}

// A Svelte component's imports are in its <script> blocks.
const scriptBlock = /<script\b[^>]*>([\s\S]*?)<\/script>/g;
const codeOf = (file: string, text: string) =>
  file.endsWith('.svelte') ? [...text.matchAll(scriptBlock)].map(([, code = '']) => code).join('\n') : text;

interface ImportEdge {
  file: string;
  specifier: string;
  /** The project-relative path a relative specifier points at; undefined for a package. */
  target: string | undefined;
}

function importsOf(file: string): ImportEdge[] {
  // TypeScript's own scanner: static imports, re-exports, dynamic import() and import types,
  // and nothing that only looks like one inside a string.
  const code = codeOf(file, readFileSync(join(root, file), 'utf8'));
  return ts.preProcessFile(code, true, true).importedFiles.map(({ fileName: specifier }) => ({
    file,
    specifier,
    target: specifier.startsWith('.') ? relative(root, resolve(root, dirname(file), specifier)) : undefined,
  }));
}

const edges = ['protocol', 'server', 'web/src'].flatMap(filesUnder).flatMap(importsOf);
const from = (folder: string) => edges.filter((edge) => edge.file.startsWith(`${folder}/`));
const describeEdge = (edge: ImportEdge) => `${edge.file} imports '${edge.specifier}'`;
const isNodeBuiltin = (specifier: string) =>
  specifier.startsWith('node:') || builtinModules.includes(specifier.split('/')[0] ?? '');

describe('import boundaries', () => {
  it('reads the import graph it judges', () => {
    // A scanner that found nothing would pass every rule below.
    expect(from('protocol').length).toBeGreaterThan(100);
    expect(from('server').some((edge) => edge.target?.startsWith('protocol/'))).toBe(true);
    expect(from('web/src').some((edge) => edge.target?.startsWith('protocol/'))).toBe(true);
    expect(from('server').some((edge) => isNodeBuiltin(edge.specifier))).toBe(true);
  });

  it('protocol/ imports only protocol/ and runtime-neutral packages', () => {
    const neutralPackages = new Set(['xstate', 'zod', 'yaml']);
    const outside = from('protocol').filter((edge) =>
      edge.target === undefined ? !neutralPackages.has(edge.specifier) : !edge.target.startsWith('protocol/'),
    );
    expect(outside.map(describeEdge)).toEqual([]);
  });

  it('web/ imports nothing from server/, and server/ nothing from web/', () => {
    const crossing = [
      ...from('web/src').filter((edge) => edge.target?.startsWith('server/')),
      ...from('server').filter((edge) => edge.target?.startsWith('web/')),
    ];
    expect(crossing.map(describeEdge)).toEqual([]);
  });

  it('the lab world never imports real DNS or UDP: its one resolver is the lab zone', () => {
    const world = [...from('protocol/world'), ...from('server/world')];
    expect(world.length).toBeGreaterThan(0);
    const network = world.filter((edge) => /^(node:)?(dns|dgram)(\/|$)/.test(edge.specifier));
    expect(network.map(describeEdge)).toEqual([]);
  });

  it('protocol/ compiles with neither Node nor DOM declarations', () => {
    // Only what both a browser and Node provide, declared by hand so that a use of `Buffer`,
    // `process`, `document` or `window` in protocol/ is a compile error here.
    const universalGlobals = `
      declare function setTimeout(handler: () => void, ms?: number): unknown;
      declare function clearTimeout(id: unknown): void;
      declare function queueMicrotask(callback: () => void): void;
      declare function atob(data: string): string;
      declare function btoa(data: string): string;
      declare class TextEncoder { encode(input?: string): Uint8Array; }
      declare class TextDecoder {
        constructor(label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean });
        decode(input?: Uint8Array, options?: { stream?: boolean }): string;
      }
      declare const crypto: { getRandomValues<T extends Uint8Array>(array: T): T };`;
    const globalsPath = join(root, 'protocol/__universal-globals__.d.ts');
    const options: ts.CompilerOptions = {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      lib: ['lib.es2022.d.ts'],
      types: [],
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      allowImportingTsExtensions: true,
      verbatimModuleSyntax: true,
      resolveJsonModule: true,
    };
    const host = ts.createCompilerHost(options);
    const readFile = host.readFile.bind(host);
    const fileExists = host.fileExists.bind(host);
    host.readFile = (path) => (path === globalsPath ? universalGlobals : readFile(path));
    host.fileExists = (path) => path === globalsPath || fileExists(path);
    const protocolFiles = filesUnder('protocol').map((file) => join(root, file));
    const program = ts.createProgram([...protocolFiles, globalsPath], options, host);
    const problems = ts
      .getPreEmitDiagnostics(program)
      .map((diagnostic) => `${diagnostic.file?.fileName ?? ''}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`);
    expect(protocolFiles.length).toBeGreaterThan(50);
    expect(problems).toEqual([]);
    // A whole-program type check of protocol/: on a loaded 2-core machine it can pass 30 s.
  }, 180_000);
});
