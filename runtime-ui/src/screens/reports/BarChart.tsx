/**
 * A small SVG bar chart (grouped bars, one colour per series) for report results: no chart
 * library in the bundle. It carries a text alternative; the table beside it has every figure.
 */
const COLOURS = ['#1565c0', '#2e7d32', '#ef6c00', '#6a1b9a', '#c62828', '#00838f'];

export interface BarSeries {
  label: string;
  values: number[];
}

export function BarChart({ title, categories, series, height = 260 }: { title: string; categories: string[]; series: BarSeries[]; height?: number }) {
  const max = Math.max(1, ...series.flatMap((s) => s.values.map((v) => (Number.isFinite(v) ? v : 0))));
  const left = 44;
  const bottom = 56;
  const top = 12;
  const groupWidth = Math.max(72, series.length * 22 + 24);
  // Room on the right for the last slanted label.
  const width = left + categories.length * groupWidth + 120;
  const plot = height - top - bottom;
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => f * max);
  const y = (v: number) => top + plot - (v / max) * plot;
  const summary = categories.map((c, i) => `${c}: ${series.map((s) => `${s.label} ${s.values[i] ?? 0}`).join(', ')}`).join('; ');
  return (
    <figure style={{ margin: 0 }}>
      <div style={{ overflowX: 'auto' }} tabIndex={0} role="group" aria-label={`Chart: ${title}`}>
        <svg role="img" aria-label={`${title}. ${summary}`} width={width} height={height} viewBox={`0 0 ${width} ${height}`} style={{ fontFamily: 'inherit', fontSize: 11 }}>
          {ticks.map((t) => (
            <g key={t}>
              <line x1={left} x2={width - 8} y1={y(t)} y2={y(t)} stroke="#e0e0e0" />
              <text x={left - 6} y={y(t) + 4} textAnchor="end" fill="#424242">{Number.isInteger(t) ? t : t.toFixed(1)}</text>
            </g>
          ))}
          {categories.map((category, i) => (
            <g key={category + i} transform={`translate(${left + i * groupWidth + 6},0)`}>
              {series.map((s, j) => {
                const v = Number.isFinite(s.values[i]) ? s.values[i] : 0;
                return <rect key={s.label} x={j * 22} y={y(v)} width={18} height={top + plot - y(v)} fill={COLOURS[j % COLOURS.length]}><title>{`${category}, ${s.label}: ${v}`}</title></rect>;
              })}
              <text x={(series.length * 22) / 2} y={height - bottom + 14} textAnchor="start" transform={`rotate(25 ${(series.length * 22) / 2} ${height - bottom + 14})`} fill="#212121">
                {category.length > 18 ? `${category.slice(0, 17)}…` : category}
              </text>
            </g>
          ))}
          <line x1={left} x2={left} y1={top} y2={top + plot} stroke="#616161" />
        </svg>
      </div>
      <figcaption style={{ display: 'flex', gap: 12, flexWrap: 'wrap', fontSize: 13 }}>
        {series.map((s, j) => (
          <span key={s.label}><span aria-hidden="true" style={{ display: 'inline-block', width: 10, height: 10, background: COLOURS[j % COLOURS.length], marginRight: 4 }} />{s.label}</span>
        ))}
      </figcaption>
    </figure>
  );
}
