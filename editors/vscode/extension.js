// Starts `relais lsp` for .rules files (docs/editors.md). Everything else is the server's.
const vscode = require('vscode');
const { LanguageClient } = require('vscode-languageclient/node');

let client;

function activate(context) {
  const command = vscode.workspace.getConfiguration('relais').get('command') || 'relais';
  client = new LanguageClient(
    'relais',
    'Relais',
    { command, args: ['lsp'] },
    {
      documentSelector: [
        { scheme: 'file', language: 'relais' },
        { scheme: 'untitled', language: 'relais' }
      ],
      // Rule and DMN files changed outside the editor are checked again.
      synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher('**/*.{rules,dmn}') }
    }
  );
  context.subscriptions.push(client);
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
