// The charts of forecast.html (ECharts): each question's probability with its interval, and the reliability diagram.
'use strict';
(function () {
  var D = JSON.parse(document.getElementById('forecast-data').textContent);
  var qs = D.questions.slice().reverse();
  var whisker = function (p, api) {
    var l = api.coord([api.value(0), api.value(2)]), h = api.coord([api.value(1), api.value(2)]);
    return { type: 'line', shape: { x1: l[0], y1: l[1], x2: h[0], y2: h[1] }, style: { stroke: '#222', lineWidth: 1.5 } };
  };
  echarts.init(document.getElementById('questions')).setOption({
    title: { text: 'Probability by question', subtext: 'with Wilson 95% interval; squares: persistence' },
    grid: { left: 170, top: 60 }, tooltip: {},
    xAxis: { type: 'value', min: 0, max: 1 },
    yAxis: { type: 'category', data: qs.map(function (q) { return q.id; }) },
    series: [{ type: 'scatter', name: 'model', data: qs.map(function (q, i) { return [q.p, i]; }) },
      { type: 'scatter', name: 'persistence', symbol: 'rect', symbolSize: 7, itemStyle: { color: '#aaa' },
        data: qs.map(function (q, i) { return [q.persistence, i]; }) },
      { type: 'custom', z: 10, renderItem: whisker, data: qs.map(function (q, i) { return [q.low, q.high, i]; }) }]
  });
  var el = document.getElementById('reliability');
  if (!D.scores || !D.scores.n) { el.textContent = 'The reliability diagram needs resolutions (--resolutions FILE).'; return; }
  var bins = D.scores.reliability;
  echarts.init(el).setOption({
    title: { text: 'Reliability diagram', subtext: 'observed frequency against mean forecast, per bin (size: questions)' },
    grid: { top: 70 }, tooltip: {},
    xAxis: { type: 'value', min: 0, max: 1, name: 'forecast' }, yAxis: { type: 'value', min: 0, max: 1, name: 'observed' },
    series: [{ type: 'line', name: 'perfect', data: [[0, 0], [1, 1]], showSymbol: false, lineStyle: { type: 'dashed', color: '#999' } },
      { type: 'scatter', name: 'bins', data: bins.map(function (b) { return [b.forecast, b.observed, b.n]; }),
        symbolSize: function (v) { return 8 + 4 * Math.sqrt(v[2]); } },
      { type: 'custom', z: 10, data: bins.map(function (b) { return [b.forecast, b.low, b.high]; }),
        renderItem: function (p, api) {
          var l = api.coord([api.value(0), api.value(1)]), h = api.coord([api.value(0), api.value(2)]);
          return { type: 'line', shape: { x1: l[0], y1: l[1], x2: h[0], y2: h[1] }, style: { stroke: '#222', lineWidth: 1 } };
        } }]
  });
})();
