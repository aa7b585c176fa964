// Headless Chromium for the html checks and the docs picture: Debian's `chromium` package (or
// $CHROMIUM), run with networking features off. Nothing here installs anything.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';

export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--hide-scrollbars', '--no-first-run', '--mute-audio'];

function run(args: string[]): string {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} not found: install Debian's chromium (apt-get install -y chromium) or set CHROMIUM`);
  }
  const r = spawnSync(CHROMIUM, [...FLAGS, ...args], { encoding: 'utf8', timeout: 180_000, maxBuffer: 256 * 1024 * 1024 });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`chromium exited ${r.status}: ${r.stderr.split('\n').slice(-5).join('\n')}`);
  return r.stdout;
}

/** The DOM after the page's scripts ran. */
export function dumpDom(file: string): string {
  return run(['--virtual-time-budget=5000', '--dump-dom', `file://${file}`]);
}

export function screenshot(file: string, png: string, width: number, height: number): void {
  run([`--window-size=${width},${height}`, `--screenshot=${png}`, `file://${file}`]);
}
