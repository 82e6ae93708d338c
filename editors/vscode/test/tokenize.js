// Tokenizes files with the extension's TextMate grammar, as VS Code does
// (vscode-textmate on the Oniguruma regular expressions of vscode-oniguruma).
// Usage: node tokenize.js GRAMMAR FILE... ; prints JSON: {file: [[line, [[text, scope...]...]]...]}
"use strict";
const fs = require("fs");
const path = require("path");
const textmate = require("vscode-textmate");
const oniguruma = require("vscode-oniguruma");

async function main() {
  const [grammarPath, ...files] = process.argv.slice(2);
  const wasm = fs.readFileSync(path.join(path.dirname(require.resolve("vscode-oniguruma")), "onig.wasm"));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new textmate.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
      createOnigString: (s) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async (scopeName) => scopeName === "source.journey"
      ? textmate.parseRawGrammar(fs.readFileSync(grammarPath, "utf8"), grammarPath) : null,
  });
  const grammar = await registry.loadGrammar("source.journey");
  const out = {};
  for (const file of files) {
    const lines = fs.readFileSync(file, "utf8").split(/\r?\n/);
    let state = textmate.INITIAL;
    const tokenized = [];
    lines.forEach((line, i) => {
      const r = grammar.tokenizeLine(line, state);
      tokenized.push([i + 1, r.tokens.map((t) => [line.substring(t.startIndex, t.endIndex), ...t.scopes.slice(1)])]);
      state = r.ruleStack;
    });
    out[file] = tokenized;
  }
  process.stdout.write(JSON.stringify(out));
}
main().catch((e) => { console.error(e); process.exit(1); });
