// Monaco's editor worker, from this origin (the CSP allows workers only from 'self'): it loads
// the webjar's worker bootstrap, which loads the rest of Monaco's worker code beside it.
self.MonacoEnvironment = { baseUrl: '/webjars/monaco-editor/min/' };
importScripts('/webjars/monaco-editor/min/vs/base/worker/workerMain.js');
