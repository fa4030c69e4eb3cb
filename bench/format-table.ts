/** The benchmark results as Markdown tables (also what the README's Performance section shows). */
import type { BenchResults } from './bench-results.js';

function row(cells: readonly (string | number)[]): string {
  return `| ${cells.join(' | ')} |`;
}

function kb(bytes: number): string {
  return `${(bytes / 1000).toFixed(1)} KB`;
}

function requestsText(requests: Record<string, number>): string {
  const order = ['ListObjectsV2', 'GetObject', 'HeadObject', 'PutObject', 'DeleteObject'];
  return order.filter((name) => requests[name]).map((name) => `${requests[name]} ${name.replace('Object', '').replace('sV2', '')}`).join(', ');
}

/** Markdown tables of one run. */
export function formatTable(results: BenchResults): string {
  const lines = [
    `Node ${results.node}, ${results.cpus}, ${results.date}`,
    '',
    row(['Archive', 'Path', 'Backend', 'Requests', 'By type', 'Bytes up', 'Bytes down', 'Time']),
    row(['---:', '---', '---', '---:', '---', '---:', '---:', '---:']),
    ...results.publishes.map((p) =>
      row([
        p.articles.toLocaleString('en'), p.path, p.backend, `${p.totalRequests.toLocaleString('en')}${p.estimated ? ' (est.)' : ''}`,
        requestsText(p.requests), kb(p.bytesUp), kb(p.bytesDown), p.estimated ? '–' : `${p.milliseconds.toLocaleString('en')} ms`,
      ]),
    ),
    '',
    row(['Measurement', 'Result']),
    row(['---', '---']),
  ];
  const w = results.windowRender;
  lines.push(row([`Window render (${w.items} items, one new, RSS + Atom + JSON)`, `${w.productionMs} ms vs ${w.floorMs} ms hand-written floor = ${w.ratio}x (empty item cache: ${w.coldMs} ms = ${w.coldRatio}x)`]));
  if (results.rebuild) {
    const r = results.rebuild;
    const cap = r.heapLimitMiB === undefined ? '' : `, heap capped at ${r.heapLimitMiB} MiB`;
    lines.push(row([`Full rebuild of ${r.articles.toLocaleString('en')} articles (child process${cap}, s3rver)`, `${(r.milliseconds / 1000).toFixed(1)} s, peak RSS ${r.peakRssMiB} MiB, ${r.written.toLocaleString('en')} documents written`]));
  }
  for (const l of results.latency) {
    lines.push(row([`Publish latency, local pipeline, ${l.articles.toLocaleString('en')} articles`, `median ${l.medianMs} ms (${l.samples.join(', ')} ms); start ${(l.startMs / 1000).toFixed(1)} s`]));
  }
  for (const b of results.bundle) {
    lines.push(row([`Bundle (${b.variant})`, `${kb(b.rawBytes)} raw, ${kb(b.gzipBytes)} gzip; import ${b.importMs} ms vs empty module ${b.emptyModuleMs} ms = ${b.importRatio}x`]));
  }
  lines.push('', row(['Target', 'Measured', 'Met']), row(['---', '---', '---']));
  for (const target of Object.values(results.targets)) lines.push(row([target.target, target.measured, target.met ? 'yes' : 'no']));
  return lines.join('\n');
}
