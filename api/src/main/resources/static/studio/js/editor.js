// The rule editor: Monaco (from its webjar) with the rule language registered. Colouring is
// a Monarch grammar of the same words as editors/relais.tmLanguage.json; diagnostics,
// completion, hover and formatting are answers of /api/v1/language/... (docs/api.md).
import { post } from './api.js';

const MONACO = '/webjars/monaco-editor/min';
const LANGUAGE = 'relais';
const DIAGNOSTICS_DELAY_MS = 300;

let monaco;
let editor;
let diffEditor;
/** File name to its Monaco model, for the ruleset being edited. */
const models = new Map();
/** Model URI to the diagnostics it shows (for quick fixes). */
const shown = new Map();
let falseParts = [];
let diagnosticsTimer;
let onProblems = () => {};

/** Loads Monaco through its AMD loader (min/vs/loader.js, loaded by the page). */
export function load() {
  return new Promise((resolve, reject) => {
    window.MonacoEnvironment = { getWorkerUrl: () => new URL('js/editor-worker.js', document.baseURI).href };
    window.require.config({ paths: { vs: MONACO + '/vs' } });
    window.require(['vs/editor/editor.main'], (m) => {
      monaco = m || window.monaco;
      register();
      resolve(monaco);
    }, reject);
  });
}

function register() {
  monaco.languages.register({ id: LANGUAGE, extensions: ['.rules'] });
  monaco.languages.setLanguageConfiguration(LANGUAGE, {
    comments: { lineComment: '#' },
    brackets: [['(', ')'], ['[', ']'], ['{', '}']],
    autoClosingPairs: [{ open: '(', close: ')' }, { open: '[', close: ']' }, { open: '{', close: '}' },
      { open: '"', close: '"', notIn: ['string', 'comment'] }],
    wordPattern: /[A-Za-z_][A-Za-z0-9_]*/,
  });
  monaco.languages.setMonarchTokensProvider(LANGUAGE, {
    ignoreCase: true,
    declarations: ['ruleset', 'timezone', 'default', 'attribute', 'define', 'campaign', 'tier', 'reward', 'table',
      'segment', 'scoring', 'qualify', 'nurture', 'loyalty', 'alert'],
    clauses: ['when', 'then', 'end', 'because', 'priority', 'active', 'until', 'step', 'after', 'exit', 'input',
      'where', 'within'],
    operators: ['and', 'or', 'not', 'is', 'empty', 'between', 'in', 'contains', 'matches', 'has'],
    functions: ['count', 'sum', 'days', 'since', 'last', 'decision', 'of'],
    actions: ['tag', 'untag', 'add', 'remove', 'subtract', 'set', 'advance', 'disqualify', 'enroll', 'stop', 'send',
      'award', 'deduct', 'grant', 'notify'],
    roots: ['contact', 'event'],
    constants: ['true', 'false', 'subscriber', 'lead', 'mql', 'sql', 'opportunity', 'customer', 'disqualified'],
    tokenizer: {
      root: [
        [/#.*$/, 'comment'],
        [/"/, 'string', '@string'],
        [/\d{4}-\d{2}-\d{2}\b/, 'number'],
        [/\d+(\.\d+)?/, 'number'],
        [/[A-Za-z_][A-Za-z0-9_]*/, { cases: {
          '@declarations': 'keyword', '@clauses': 'keyword', '@operators': 'operator', '@functions': 'predefined',
          '@actions': 'type', '@roots': 'variable', '@constants': 'constant', '@default': 'identifier' } }],
        [/!=|<=|>=|=|<|>|\+|-|\*|\//, 'operator'],
      ],
      string: [
        [/\{\{[^}]*\}\}/, 'variable'],
        [/\\./, 'string.escape'],
        [/"/, 'string', '@pop'],
        [/$/, 'string', '@pop'],
        [/[^"\\{]+/, 'string'],
        [/./, 'string'],
      ],
    },
  });
  monaco.languages.registerCompletionItemProvider(LANGUAGE, {
    triggerCharacters: ['.', '"', ' '],
    provideCompletionItems: async (model, position) => {
      const answer = await post('/language/completion', positionRequest(model, position));
      return { suggestions: answer.items.map((item) => ({
        label: item.label,
        kind: completionKind(item.kind),
        detail: item.detail || undefined,
        documentation: item.documentation || undefined,
        insertText: item.insertText,
        range: range(item.replace),
      })) };
    },
  });
  monaco.languages.registerHoverProvider(LANGUAGE, {
    provideHover: async (model, position) => {
      const answer = await post('/language/hover', positionRequest(model, position));
      return answer.contents ? { contents: [{ value: answer.contents }], range: range(answer.range) } : null;
    },
  });
  monaco.languages.registerDocumentFormattingEditProvider(LANGUAGE, {
    provideDocumentFormattingEdits: async (model) => {
      const answer = await post('/language/format', { files: files(), file: fileOf(model) });
      return answer.edits.map((e) => ({ range: range(e.range), text: e.newText }));
    },
  });
  // A diagnostic with a suggestion ("did you mean contact.score?") offers it as a quick fix.
  monaco.languages.registerCodeActionProvider(LANGUAGE, {
    provideCodeActions: (model, _range, context) => ({
      actions: context.markers.filter((m) => m.relaisSuggestion || suggestionOf(model, m)).map((m) => {
        const suggestion = m.relaisSuggestion || suggestionOf(model, m);
        return {
          title: `Replace with ${suggestion}`,
          kind: 'quickfix',
          diagnostics: [m],
          isPreferred: true,
          edit: { edits: [{ resource: model.uri, versionId: model.getVersionId(),
            textEdit: { range: m, text: suggestion } }] },
        };
      }),
      dispose() {},
    }),
  });
}

function suggestionOf(model, marker) {
  const list = shown.get(model.uri.toString()) || [];
  const found = list.find((d) => d.line === marker.startLineNumber && d.column === marker.startColumn && d.suggestion);
  return found && found.suggestion;
}

const KINDS = {
  keyword: 'Keyword', field: 'Field', attribute: 'Property', 'event-type': 'Event', constant: 'Constant',
  stage: 'EnumMember', type: 'TypeParameter', channel: 'Enum', campaign: 'Module', tier: 'Enum', reward: 'Value',
  table: 'Struct', decision: 'Function', input: 'Variable', tag: 'Reference', segment: 'Reference',
  message: 'Text', file: 'File', timezone: 'Unit',
};

function completionKind(kind) {
  return monaco.languages.CompletionItemKind[KINDS[kind] || 'Text'];
}

function range(r) {
  return new monaco.Range(r.line, r.column, r.endLine, r.endColumn);
}

function positionRequest(model, position) {
  return { files: files(), file: fileOf(model), line: position.lineNumber, column: position.column };
}

function fileOf(model) {
  return model.uri.path.replace(/^\//, '');
}

/** Creates the editor in `element`; `problems` receives each new list of diagnostics. */
export function create(element, problems) {
  onProblems = problems;
  editor = monaco.editor.create(element, {
    language: LANGUAGE, automaticLayout: true, minimap: { enabled: false }, fixedOverflowWidgets: true,
    glyphMargin: true, lightbulb: { enabled: 'on' }, ariaLabel: 'Rule text editor',
    'semanticHighlighting.enabled': false, tabFocusMode: false,
  });
  editor.addAction({ id: 'relais.format', label: 'Format the file', keybindings: [monaco.KeyMod.Shift | monaco.KeyMod.Alt | monaco.KeyCode.KeyF],
    run: () => format() });
  return editor;
}

/** Replaces the files being edited; `open` is shown. */
export function setFiles(fileMap, open) {
  for (const model of models.values()) {
    model.dispose();
  }
  models.clear();
  shown.clear();
  falseParts = [];
  for (const [name, text] of Object.entries(fileMap)) {
    const model = monaco.editor.createModel(text, name.endsWith('.rules') ? LANGUAGE : 'xml', monaco.Uri.file(name));
    model.onDidChangeContent(() => scheduleDiagnostics());
    models.set(name, model);
  }
  show(open || Object.keys(fileMap).find((n) => n.endsWith('.rules')) || Object.keys(fileMap)[0]);
  scheduleDiagnostics(0);
}

export function show(name) {
  const model = models.get(name);
  if (model && editor.getModel() !== model) {
    editor.setModel(model);
  }
}

export function current() {
  const model = editor.getModel();
  return model ? fileOf(model) : null;
}

/** The edited files, as the API takes them. */
export function files() {
  const out = {};
  for (const [name, model] of models) {
    out[name] = model.getValue();
  }
  return out;
}

export function names() {
  return [...models.keys()];
}

export function scheduleDiagnostics(delay = DIAGNOSTICS_DELAY_MS) {
  clearTimeout(diagnosticsTimer);
  diagnosticsTimer = setTimeout(diagnose, delay);
}

async function diagnose() {
  if (models.size === 0) {
    return;
  }
  try {
    const answer = await post('/language/diagnostics', { files: files() });
    markers(answer.diagnostics);
  } catch (e) {
    onProblems([], e);
  }
}

/** Shows diagnostics (of the language service, validate or a refused save) as markers. */
export function markers(diagnostics) {
  for (const [name, model] of models) {
    const own = diagnostics.filter((d) => d.file === name);
    shown.set(model.uri.toString(), own);
    monaco.editor.setModelMarkers(model, 'relais', own.map((d) => ({
      severity: d.severity === 'error' ? monaco.MarkerSeverity.Error
        : d.severity === 'warning' ? monaco.MarkerSeverity.Warning : monaco.MarkerSeverity.Info,
      message: d.message + (d.suggestion ? ` (did you mean ${d.suggestion}?)` : ''),
      code: d.code,
      relaisSuggestion: d.suggestion,
      ...wordRange(model, d.line, d.column),
    })));
  }
  onProblems(diagnostics, null);
}

// A diagnostic gives where it starts; the marker covers the dotted name or word there.
function wordRange(model, line, column) {
  const lineNumber = Math.min(Math.max(line, 1), model.getLineCount());
  const text = model.getLineContent(lineNumber);
  const start = Math.min(Math.max(column, 1), text.length + 1);
  const match = /^[A-Za-z_][A-Za-z0-9_.]*|^"[^"]*"?|^\S+/.exec(text.slice(start - 1));
  const length = match ? match[0].replace(/\.$/, '').length : 1;
  return { startLineNumber: lineNumber, startColumn: start, endLineNumber: lineNumber, endColumn: start + Math.max(length, 1) };
}

/** Replaces the name a diagnostic points at with its suggestion (the quick fix, as a button). */
export function applySuggestion(d) {
  const model = models.get(d.file);
  if (!model || !d.suggestion) {
    return;
  }
  show(d.file);
  const r = wordRange(model, d.line, d.column);
  editor.executeEdits('relais-suggestion', [{
    range: new monaco.Range(r.startLineNumber, r.startColumn, r.endLineNumber, r.endColumn), text: d.suggestion }]);
  editor.focus();
}

export async function format() {
  await editor.getAction('editor.action.formatDocument').run();
}

/** Marks the false parts of the conditions of rules that did not fire (the trace's falsePart). */
export function markFalseParts(parts) {
  for (const entry of falseParts) {
    entry.model.deltaDecorations(entry.ids, []);
  }
  falseParts = [];
  const byFile = new Map();
  for (const part of parts) {
    if (!byFile.has(part.file)) {
      byFile.set(part.file, []);
    }
    byFile.get(part.file).push(part);
  }
  for (const [name, list] of byFile) {
    const model = models.get(name);
    if (!model) {
      continue;
    }
    const ids = model.deltaDecorations([], list.map((p) => ({
      range: new monaco.Range(p.line, p.column, p.endLine, p.endColumn),
      options: { inlineClassName: 'false-part', glyphMarginClassName: 'false-part-glyph',
        hoverMessage: { value: `False for this input (rule "${p.rule}"): ${p.why}` } },
    })));
    falseParts.push({ model, ids });
  }
}

/** Shows the false part of one rule: its file, its line, selected. */
export function reveal(part) {
  show(part.file);
  const r = new monaco.Range(part.line, part.column, part.endLine, part.endColumn);
  editor.revealRangeInCenter(r);
  editor.setSelection(r);
  editor.focus();
}

/** Side-by-side differences of one file between two texts. */
export function diff(element, name, left, right) {
  if (!diffEditor) {
    diffEditor = monaco.editor.createDiffEditor(element, { automaticLayout: true, readOnly: true,
      renderSideBySide: true, originalEditable: false, ariaLabel: 'Differences' });
  }
  const old = diffEditor.getModel();
  const language = name.endsWith('.rules') ? LANGUAGE : 'xml';
  diffEditor.setModel({ original: monaco.editor.createModel(left || '', language),
    modified: monaco.editor.createModel(right || '', language) });
  if (old) {
    old.original.dispose();
    old.modified.dispose();
  }
}
