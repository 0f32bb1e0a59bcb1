import { useEffect, useRef } from 'react';
import {
  BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip,
} from 'chart.js';

Chart.register(BarController, BarElement, CategoryScale, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip);

const COLOURS = ['#0b5cad', '#b85c00', '#146c2e', '#7b2d8b'];

interface Props {
  type: 'bar' | 'line';
  title: string;
  labels: string[];
  series: { label: string; data: (number | null)[] }[];
  yMax?: number;
}

/** A Chart.js chart with its numbers also in a table, for screen readers and for copying. */
export function ChartCanvas({ type, title, labels, series, yMax }: Props) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const ctx = canvas.current?.getContext?.('2d');
    if (!ctx) return; // no canvas (tests): the table below still carries the data
    const chart = new Chart(ctx, {
      type,
      data: { labels, datasets: series.map((s, i) => ({ label: s.label, data: s.data, backgroundColor: COLOURS[i % 4], borderColor: COLOURS[i % 4] })) },
      options: { responsive: true, maintainAspectRatio: false, animation: false, scales: { y: { beginAtZero: true, max: yMax } } },
    });
    return () => chart.destroy();
  }, [type, labels, series, yMax]);

  return (
    <figure className="chart">
      <figcaption><strong>{title}</strong></figcaption>
      <div className="chart-box"><canvas ref={canvas} role="img" aria-label={title} /></div>
      <details>
        <summary>Data</summary>
        <table className="data">
          <thead><tr><th scope="col"></th>{series.map((s) => <th key={s.label} scope="col">{s.label}</th>)}</tr></thead>
          <tbody>{labels.map((l, i) => <tr key={l}><th scope="row">{l}</th>{series.map((s) => <td key={s.label}>{fmt(s.data[i])}</td>)}</tr>)}</tbody>
        </table>
      </details>
    </figure>
  );
}

function fmt(v: number | null | undefined) {
  return v === null || v === undefined ? '—' : Number.isInteger(v) ? String(v) : v.toFixed(2);
}
