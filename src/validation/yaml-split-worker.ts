// The worker thread of forEachDocumentInFileSplit (yaml-files.ts): parses the part of a file it is
// given, already checked as UTF-8, with the one reader, and posts its documents in batches (then
// `done`), or the read error that stopped it after the documents before it. Any other failure is
// left to end the thread: the main thread then reads this part itself.

import { parentPort, workerData } from 'worker_threads';
import { forEachDocument, itemLines, ManifestReadError, SPLIT_BATCH, type SplitDocument, type SplitMessage } from './yaml-files';

const { file, bytes } = workerData as { file: string; bytes: Uint8Array };
const port = parentPort!;
const post = (m: SplitMessage): void => { port.postMessage(m); };
let docs: SplitDocument[] = [];
try {
  forEachDocument(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'), file, (doc, lineOf) => {
    docs.push([doc.value, doc.line, lineOf === undefined ? undefined : itemLines(doc.value, lineOf)]);
    if (docs.length >= SPLIT_BATCH) {
      post({ docs });
      docs = [];
    }
  });
  post({ docs });
  post({ done: true });
} catch (e) {
  if (!(e instanceof ManifestReadError)) throw e;
  post({ docs });
  post({ error: { reason: e.reason, line: e.line, column: e.column } });
}
