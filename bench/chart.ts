/**
 * A dependency-free SVG chart: requests and time per one-article publish against archive size,
 * full path against incremental path, on log-log axes.
 */

/** One line of a panel. */
export interface Series {
  readonly name: string;
  readonly color: string;
  /** [archive size, value]; a point marked `estimated` is drawn hollow. */
  readonly points: readonly { readonly x: number; readonly y: number; readonly estimated?: boolean }[];
  readonly dashed?: boolean;
}

/** One panel: a title, a y-axis label and its lines. */
export interface Panel {
  readonly title: string;
  readonly yLabel: string;
  readonly series: readonly Series[];
}

const WIDTH = 460;
const HEIGHT = 320;
const MARGIN = { left: 64, right: 56, top: 36, bottom: 70 };

function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function powersOfTen(min: number, max: number): number[] {
  const powers: number[] = [];
  for (let exponent = Math.floor(Math.log10(min)); exponent <= Math.ceil(Math.log10(max)); exponent++) powers.push(10 ** exponent);
  return powers;
}

function formatNumber(value: number): string {
  if (value >= 1_000_000) return `${value / 1_000_000}M`;
  if (value >= 1000) return `${value / 1000}k`;
  return String(value);
}

function renderPanel(panel: Panel, offsetX: number): string {
  const points = panel.series.flatMap((series) => series.points);
  const xs = powersOfTen(Math.min(...points.map((p) => p.x)), Math.max(...points.map((p) => p.x)));
  const ys = powersOfTen(Math.max(1, Math.min(...points.map((p) => p.y))), Math.max(...points.map((p) => p.y)));
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const [x0, x1] = [Math.log10(xs[0] as number), Math.log10(xs.at(-1) as number)];
  const [y0, y1] = [Math.log10(ys[0] as number), Math.log10(ys.at(-1) as number)];
  const px = (x: number) => offsetX + MARGIN.left + ((Math.log10(x) - x0) / (x1 - x0 || 1)) * plotWidth;
  const py = (y: number) => MARGIN.top + plotHeight - ((Math.log10(Math.max(y, 1)) - y0) / (y1 - y0 || 1)) * plotHeight;
  const parts: string[] = [`<text x="${offsetX + WIDTH / 2}" y="20" text-anchor="middle" font-weight="bold">${escapeText(panel.title)}</text>`];
  for (const y of ys) {
    parts.push(`<line x1="${px(xs[0] as number)}" x2="${px(xs.at(-1) as number)}" y1="${py(y)}" y2="${py(y)}" stroke="#ddd"/>`);
    parts.push(`<text x="${px(xs[0] as number) - 6}" y="${py(y) + 4}" text-anchor="end">${formatNumber(y)}</text>`);
  }
  for (const x of xs) {
    parts.push(`<line x1="${px(x)}" x2="${px(x)}" y1="${py(ys[0] as number)}" y2="${py(ys.at(-1) as number)}" stroke="#eee"/>`);
    parts.push(`<text x="${px(x)}" y="${HEIGHT - MARGIN.bottom + 16}" text-anchor="middle">${formatNumber(x)}</text>`);
  }
  parts.push(`<text x="${offsetX + MARGIN.left + plotWidth / 2}" y="${HEIGHT - MARGIN.bottom + 34}" text-anchor="middle">articles in the archive</text>`);
  parts.push(`<text transform="translate(${offsetX + 16} ${MARGIN.top + plotHeight / 2}) rotate(-90)" text-anchor="middle">${escapeText(panel.yLabel)}</text>`);
  panel.series.forEach((series, index) => {
    const path = series.points.map((p, i) => `${i === 0 ? 'M' : 'L'}${px(p.x).toFixed(1)},${py(p.y).toFixed(1)}`).join(' ');
    parts.push(`<path d="${path}" fill="none" stroke="${series.color}" stroke-width="2"${series.dashed ? ' stroke-dasharray="5 4"' : ''}/>`);
    for (const p of series.points) {
      const fill = p.estimated ? 'white' : series.color;
      parts.push(`<circle cx="${px(p.x).toFixed(1)}" cy="${py(p.y).toFixed(1)}" r="4" fill="${fill}" stroke="${series.color}" stroke-width="2"/>`);
      parts.push(`<text x="${(px(p.x) + 6).toFixed(1)}" y="${(py(p.y) - 6).toFixed(1)}" fill="${series.color}">${Math.round(p.y).toLocaleString('en')}</text>`);
    }
    const legendY = HEIGHT - 14 - (panel.series.length - 1 - index) * 0;
    const legendX = offsetX + MARGIN.left + index * 130;
    parts.push(`<line x1="${legendX}" x2="${legendX + 18}" y1="${legendY - 4}" y2="${legendY - 4}" stroke="${series.color}" stroke-width="2"${series.dashed ? ' stroke-dasharray="5 4"' : ''}/>`);
    parts.push(`<text x="${legendX + 22}" y="${legendY}">${escapeText(series.name)}</text>`);
  });
  return parts.join('\n');
}

/** The panels side by side in one SVG document; hollow points are estimates. */
export function renderChart(panels: readonly Panel[], caption: string): string {
  const width = WIDTH * panels.length;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${HEIGHT + 20}" viewBox="0 0 ${width} ${HEIGHT + 20}" font-family="sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    ...panels.map((panel, index) => renderPanel(panel, index * WIDTH)),
    `<text x="${width / 2}" y="${HEIGHT + 14}" text-anchor="middle" fill="#555">${escapeText(caption)}</text>`,
    '</svg>',
    '',
  ].join('\n');
}
