import * as echarts from 'echarts';

/**
 * A line chart rendered to SVG on the server (no DOM, no canvas), so report pages and their
 * printouts show charts without client JavaScript. Times are UTC.
 */
export function lineChartSvg(options: { title: string; x: string[]; series: { name: string; values: (number | null)[] }[]; yMax?: number; yFormat?: 'percent' }): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: 760, height: 260 });
  chart.setOption({
    animation: false,
    useUTC: true,
    title: { text: options.title, textStyle: { fontSize: 13 } },
    grid: { left: 50, right: 20, top: 40, bottom: 30 },
    legend: { top: 0, right: 0 },
    xAxis: { type: 'category', data: options.x },
    yAxis: {
      type: 'value',
      max: options.yMax,
      axisLabel: options.yFormat === 'percent' ? { formatter: (v: number) => `${Math.round(v * 100)}%` } : {},
    },
    series: options.series.map((s) => ({ type: 'line', name: s.name, data: s.values, connectNulls: false, symbolSize: 5 })),
  });
  const svg = chart.renderToSVGString();
  chart.dispose();
  return svg;
}
