// Makes docs/timeline.png: a timeline loaded in the DevTools Performance panel that Chromium bundles, run
// headless, driven over the DevTools protocol (no network: the file goes to the panel's "Load profile" input).
// Needs `chromium` (Debian: apt install chromium) and Node 22+, or Node 20 with --experimental-websocket.
//   node scripts/timeline-screenshot.mjs TIMELINE.json OUT.png
// The clicks are at the panel's positions in a 1400x620 window of a fresh profile: close the sidebar, open the
// process, open the first CPU, select the first packet (which draws its flow arrow).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const [input, output] = process.argv.slice(2);
if (!input || !output) throw new Error('usage: node scripts/timeline-screenshot.mjs TIMELINE.json OUT.png');
const [width, height, port] = [1400, 620, 9339];
const CLICKS = [
  [16, 39],
  [10, 129],
  [20, 146],
  [284, 197],
];

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const profile = mkdtempSync(join(tmpdir(), 'ndt-chromium-'));
const chromium = spawn(
  'chromium',
  [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    `--user-data-dir=${profile}`,
    `--remote-debugging-port=${port}`,
    '--remote-allow-origins=*',
    'about:blank',
  ],
  { stdio: 'ignore' },
);
try {
  await sleep(3000);
  const targets = await (await fetch(`http://127.0.0.1:${port}/json/list`)).json();
  const ws = new WebSocket(targets.find((t) => t.type === 'page').webSocketDebuggerUrl);
  await new Promise((r) => (ws.onopen = r));
  let id = 0;
  const pending = new Map();
  ws.onmessage = (m) => {
    const d = JSON.parse(m.data);
    pending.get(d.id)?.(d);
    pending.delete(d.id);
  };
  const send = (method, params = {}) =>
    new Promise((r) => {
      pending.set(++id, r);
      ws.send(JSON.stringify({ id, method, params }));
    });
  // Finds a node through the panels' shadow roots.
  const deep = (test) =>
    `(() => { const walk = (root) => { for (const el of root.querySelectorAll('*')) { if (${test}) return el; ` +
    `if (el.shadowRoot) { const f = walk(el.shadowRoot); if (f) return f; } } return null; }; return walk(document); })()`;
  await send('Runtime.enable');
  await send('DOM.enable');
  await send('Emulation.setDeviceMetricsOverride', { width, height, deviceScaleFactor: 1, mobile: false });
  await send('Page.navigate', { url: 'devtools://devtools/bundled/trace_app.html' });
  await sleep(9000);
  // DevTools' tabs switch on mousedown, not on click.
  const tab = await send('Runtime.evaluate', {
    expression: `${deep("el.getAttribute && el.getAttribute('role') === 'tab' && el.textContent.trim() === 'Performance'")}.dispatchEvent(new MouseEvent('mousedown', { bubbles: true }))`,
  });
  if (tab.result.exceptionDetails)
    throw new Error(`no Performance tab: ${JSON.stringify(tab.result.exceptionDetails)}`);
  await sleep(3000);
  const found = await send('Runtime.evaluate', { expression: deep("el.tagName === 'INPUT' && el.type === 'file'") });
  await send('DOM.getDocument', { depth: -1, pierce: true });
  const node = await send('DOM.requestNode', { objectId: found.result.result.objectId });
  if (!node.result) throw new Error(`the panel's file input was not found: ${JSON.stringify(node)}`);
  await send('DOM.setFileInputFiles', { files: [resolve(input)], nodeId: node.result.nodeId });
  await sleep(6000);
  // Dismisses what covers the panel ("debugging connection was closed": there is no page to debug; the
  // shortcuts popup): every button labelled Close.
  await send('Runtime.evaluate', {
    expression:
      `(() => { const walk = (root) => { for (const el of root.querySelectorAll('*')) { const l = (el.getAttribute && ` +
      `(el.getAttribute('aria-label') || el.getAttribute('title'))) || ''; if (/^close/i.test(l)) el.click(); ` +
      `if (el.shadowRoot) walk(el.shadowRoot); } }; walk(document); })()`,
  });
  for (const [x, y] of CLICKS) {
    for (const type of ['mouseMoved', 'mousePressed', 'mouseReleased'])
      await send('Input.dispatchMouseEvent', { type, x, y, button: 'left', clickCount: 1 });
    await sleep(700);
  }
  await sleep(1500);
  const shot = await send('Page.captureScreenshot', { format: 'png' });
  writeFileSync(output, Buffer.from(shot.result.data, 'base64'));
  ws.close();
} finally {
  chromium.kill();
  await sleep(500);
  rmSync(profile, { recursive: true, force: true });
}
