// docs/assets/benchmarks.svg, drawn by hand: (a) req/s of each topology as a multiple of Node
// cluster round-robin at N = 2, per framework and load; (b) Jain's index at partial load.
import { frameworkLabel } from '../apps/index.mjs';
import { TOPOLOGIES } from '../topologies/index.mjs';
import { fairnessRows, throughputRows } from './analyze.mjs';
import { isNum } from './format.mjs';

const COLORS = {
  'einhorn-shared': '#1f6feb',
  'einhorn-slots': '#2da44e',
  'cluster-rr': '#8c959f',
  'cluster-none': '#bf8700',
  reuseport: '#8250df',
};
const LEGEND = {
  'einhorn-shared': 'einhorn-node, shared socket',
  'einhorn-slots': 'einhorn-node, reuseport slots',
  'cluster-rr': 'cluster round-robin',
  'cluster-none': 'cluster SCHED_NONE',
  reuseport: 'reusePort per worker',
};
const escape = (text) => String(text).replaceAll('&', '&amp;').replaceAll('<', '&lt;');
const text = ([x, y], content, attrs = '') =>
  `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" ${attrs}>${escape(content)}</text>`;

function barChart({ top, height, title, groups, yMax, step, lines, keys, format }) {
  const left = 60;
  const width = 880;
  const y = (value) => top + height - (Math.min(value, yMax) / yMax) * height;
  const parts = [text([left, top - 12], title, 'font-weight="600"')];
  for (let tick = 0; tick * step <= yMax + 1e-9; tick++) {
    const value = tick * step;
    parts.push(
      `<line x1="${left}" x2="${left + width}" y1="${y(value)}" y2="${y(value)}" stroke="#eaeef2"/>`,
    );
    parts.push(text([left - 6, y(value) + 4], format(value), 'text-anchor="end" fill="#57606a"'));
  }
  const groupWidth = width / Math.max(1, groups.length);
  const barWidth = Math.min(28, (groupWidth - 16) / keys.length);
  groups.forEach((group, g) => {
    const start = left + g * groupWidth + (groupWidth - barWidth * keys.length) / 2;
    keys.forEach((key, k) => {
      const bar = group.bars[key];
      if (!bar || !isNum(bar.median)) return;
      const x = start + k * barWidth;
      parts.push(
        `<rect x="${x.toFixed(1)}" y="${y(bar.median).toFixed(1)}" width="${(barWidth - 3).toFixed(1)}" height="${(top + height - y(bar.median)).toFixed(1)}" fill="${COLORS[key]}"><title>${escape(`${group.label} · ${TOPOLOGIES[key].label}: ${format(bar.median)} (${format(bar.min)}–${format(bar.max)})`)}</title></rect>`,
      );
      const mid = x + (barWidth - 3) / 2;
      parts.push(
        `<line x1="${mid.toFixed(1)}" x2="${mid.toFixed(1)}" y1="${y(bar.min).toFixed(1)}" y2="${y(bar.max).toFixed(1)}" stroke="#24292f"/>`,
      );
    });
    // Two lines under each group: "framework," / "load" (or "N = 4," / "300 new conn/s").
    group.label.split(', ').forEach((line, i, all) => {
      const suffix = i < all.length - 1 ? ',' : '';
      parts.push(
        text(
          [left + g * groupWidth + groupWidth / 2, top + height + 16 + i * 14],
          `${line}${suffix}`,
          'text-anchor="middle"',
        ),
      );
    });
  });
  for (const line of lines) {
    parts.push(
      `<line x1="${left}" x2="${left + width}" y1="${y(line.value)}" y2="${y(line.value)}" stroke="${line.color}" stroke-dasharray="${line.dashed ? '6 4' : '0'}"/>`,
    );
    parts.push(
      text(
        [left + width - 4, y(line.value) - 4],
        line.label,
        `text-anchor="end" fill="${line.color}"`,
      ),
    );
  }
  return parts.join('\n');
}

function legend(top, keys) {
  return keys
    .map((key, i) => {
      const x = 60 + i * 176;
      return `<rect x="${x}" y="${top}" width="12" height="12" fill="${COLORS[key]}"/>${text([x + 16, top + 10], LEGEND[key], 'font-size="11"')}`;
    })
    .join('\n');
}

export function renderSvg(results) {
  const rows = throughputRows(results.suites.throughput).filter((r) => r.workers === 2);
  const ratioKeys = ['einhorn-shared', 'einhorn-slots', 'cluster-none', 'reuseport'];
  const groups = [...new Set(rows.map((r) => r.framework))].flatMap((framework) =>
    ['keepalive', 'close'].map((load) => ({
      label: `${frameworkLabel(framework)}, ${load === 'close' ? 'conn. per request' : 'keep-alive'}`,
      bars: Object.fromEntries(
        rows
          .filter((r) => r.framework === framework && r.load === load)
          .map((r) => [r.topology, r.rpsVsRr]),
      ),
    })),
  );
  const maxRatio = Math.max(
    2,
    ...groups.flatMap((g) =>
      Object.values(g.bars)
        .map((b) => b.max)
        .filter(isNum),
    ),
  );
  const fair = fairnessRows(results.suites.fairness);
  const fairKeys = ['einhorn-shared', 'einhorn-slots', 'cluster-rr', 'cluster-none', 'reuseport'];
  const fairGroups = [...new Set(fair.map((r) => `${r.workers}|${r.rate}`))].map((key) => {
    const [workers, rate] = key.split('|').map(Number);
    return {
      label: `N = ${workers}, ${rate} new conn/s`,
      bars: Object.fromEntries(
        fair
          .filter((r) => r.workers === workers && r.rate === rate)
          .map((r) => [r.topology, r.jainConnections]),
      ),
    };
  });
  const body = [
    barChart({
      top: 40,
      height: 220,
      title:
        'req/s as a multiple of Node cluster round-robin, N = 2 (median; whiskers: min–max of paired reps)',
      groups,
      yMax: Math.ceil(maxRatio * 2) / 2,
      step: 0.5,
      keys: ratioKeys,
      format: (v) => `${v.toFixed(1)}×`,
      lines: [
        { value: 1, label: 'cluster RR = 1×', color: '#57606a' },
        { value: 1.5, label: 'B2 target 1.5× (conn. per request)', color: '#cf222e', dashed: true },
      ],
    }),
    legend(304, ratioKeys),
    barChart({
      top: 364,
      height: 200,
      title:
        "Jain's index over accepted connections at partial load, node:http (median; whiskers: min–max)",
      groups: fairGroups,
      yMax: 1,
      step: 0.2,
      keys: fairKeys,
      format: (v) => v.toFixed(2),
      lines: [{ value: 0.95, label: 'B4 target 0.95', color: '#cf222e', dashed: true }],
    }),
    legend(610, fairKeys),
  ];
  return `<svg xmlns="http://www.w3.org/2000/svg" width="960" height="650" viewBox="0 0 960 650" font-family="system-ui, sans-serif" font-size="12">
<rect width="960" height="650" fill="#ffffff"/>
${body.join('\n')}
${text([940, 644], `${results.profile} run, Node ${results.environment.serverNode.version}, ${results.startedAt.slice(0, 10)}`, 'text-anchor="end" fill="#57606a" font-size="10"')}
</svg>
`;
}
