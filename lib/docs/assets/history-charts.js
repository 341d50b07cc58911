// A dataset page's validation history: one Chart.js line chart per kind of series, one point per
// validation run, from the JSON embedded in the page.
(function () {
  'use strict';
  var history = JSON.parse(document.getElementById('validation-history').textContent);
  var palette = ['#2f6fb3', '#b42318', '#067647', '#b54708', '#6941c6', '#0e7490', '#c11574', '#4d5761'];
  var labels = history.runs.map(function (startedAt) {
    return startedAt.replace('T', ' ').replace(/\.\d+Z$|Z$/, '');
  });
  history.charts.forEach(function (chart) {
    var canvas = document.querySelector('canvas[data-chart="' + chart.kind + '"]');
    new Chart(canvas, {
      type: 'line',
      data: {
        labels: labels,
        datasets: chart.series.map(function (series, i) {
          var colour = palette[i % palette.length];
          return { label: series.label, data: series.data, borderColor: colour, backgroundColor: colour, tension: 0, spanGaps: false };
        }),
      },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        scales: { y: { beginAtZero: true, title: { display: true, text: chart.unit } } },
        plugins: { title: { display: true, text: chart.title } },
      },
    });
  });
})();
