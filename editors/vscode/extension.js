// Starts `journeyc lsp` (the command of the `journeyc.path` setting) as the
// language server of .journey files, over standard input and output.
"use strict";
const vscode = require("vscode");
const { LanguageClient, TransportKind } = require("vscode-languageclient/node");

let client;

function serverCommand() {
  const configured = vscode.workspace.getConfiguration("journeyc").get("path") || "journeyc";
  const folder = vscode.workspace.workspaceFolders && vscode.workspace.workspaceFolders[0];
  return folder ? configured.replace("${workspaceFolder}", folder.uri.fsPath) : configured;
}

async function start() {
  const command = serverCommand();
  client = new LanguageClient(
    "journeyc",
    "journeyc",
    { command, args: ["lsp"], transport: TransportKind.stdio },
    {
      // copy files (`message from "copy/x.html"`) too: their unsaved text is what the journeys read
      documentSelector: [{ language: "journey" }, { scheme: "file", pattern: "**/*.{html,htm,txt,md}" }],
      synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher("**/{*.journey,*.html,*.htm,*.txt,*.md,journeyc.toml,pyproject.toml}") },
    },
  );
  try {
    await client.start();
  } catch (err) {
    vscode.window.showErrorMessage(`journeyc: could not start '${command} lsp' (${err.message}). ` +
      "Install journeyc (pip install journeyc) or set journeyc.path.");
  }
}

async function activate(context) {
  await start();
  context.subscriptions.push(vscode.workspace.onDidChangeConfiguration(async (e) => {
    if (e.affectsConfiguration("journeyc.path")) {
      if (client) await client.stop();
      await start();
    }
  }));
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
