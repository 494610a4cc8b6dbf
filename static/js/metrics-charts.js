/*
 * Metric trend charts: progressive enhancement of the joint performance dashboard
 * (templates/metrics/dashboard.html). Each trend table marked data-chart="line" is the accessible
 * source of its figures and stays on the page; when JavaScript runs, a line chart drawn by the
 * vendored Chart.js (static/vendor/chartjs, loaded with defer before this module) is put above it.
 *
 * The chart reads only the table: each body row's data-chart-label and data-chart-value (empty for
 * "no figure", drawn as a gap rather than a zero). The canvas is an image whose name says the table
 * below has the same figures. No inline script or style attribute (CSP): sizes are set through the
 * CSSOM.
 */
const tables = Array.from(document.querySelectorAll('table[data-chart="line"]'))

const seriesOf = (table) => {
  const rows = Array.from(table.querySelectorAll('tbody tr[data-chart-label]'))
  return {
    labels: rows.map((row) => row.getAttribute('data-chart-label')),
    values: rows.map((row) => {
      const value = row.getAttribute('data-chart-value')
      return value === null || value === '' ? null : Number(value)
    })
  }
}

const draw = (Chart, table) => {
  const title = table.getAttribute('data-chart-title') || 'Trend'
  const { labels, values } = seriesOf(table)
  if (labels.length < 2) return
  const box = document.createElement('div')
  box.className = 'cb-metric-chart govuk-!-margin-bottom-4'
  box.style.position = 'relative'
  box.style.height = '16rem'
  box.setAttribute('data-testid', 'metric-chart')
  const canvas = document.createElement('canvas')
  canvas.setAttribute('role', 'img')
  canvas.setAttribute('aria-label', `Line chart: ${title}. The table below it has the same figures.`)
  box.appendChild(canvas)
  table.parentNode.insertBefore(box, table)
  // eslint-disable-next-line no-new
  new Chart(canvas, {
    type: 'line',
    data: {
      labels,
      datasets: [{
        label: title,
        data: values,
        borderColor: '#1d70b8',
        backgroundColor: '#1d70b8',
        pointRadius: 4,
        spanGaps: false
      }]
    },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      plugins: { legend: { display: false } },
      scales: { y: { beginAtZero: true, ticks: { color: '#0b0c0c' } }, x: { ticks: { color: '#0b0c0c' } } }
    }
  })
}

const start = () => {
  const Chart = window.Chart
  if (!Chart) return // Chart.js did not load: the tables are all there is, and all that is needed.
  tables.forEach((table) => draw(Chart, table))
}

if (tables.length) {
  if (window.Chart) start()
  else window.addEventListener('load', start, { once: true })
}
