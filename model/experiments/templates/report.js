// The charts of report.html (ECharts): outcomes by arm and trajectories over turns, from the page's JSON data.
'use strict';
(function () {
  var D = JSON.parse(document.getElementById('report-data').textContent);
  var colors = ['#5470c6', '#ee6666', '#91cc75', '#fac858', '#73c0de', '#3ba272', '#fc8452', '#9a60b4'];
  function box(parent) {
    var d = document.createElement('div');
    d.className = 'chart';
    document.getElementById(parent).appendChild(d);
    return echarts.init(d);
  }
  function categories(arms) {
    return { type: 'category', data: arms, axisLabel: { interval: 0, rotate: arms.length > 3 ? 15 : 0 } };
  }
  function line(x1, y1, x2, y2) {
    return { type: 'line', shape: { x1: x1, y1: y1, x2: x2, y2: y2 }, style: { stroke: '#222', lineWidth: 1.5 } };
  }
  function errorBars(rows) {       // rows: [category index, low, high]
    return { type: 'custom', z: 10, silent: true, data: rows, renderItem: function (p, api) {
      var lo = api.coord([api.value(0), api.value(1)]), hi = api.coord([api.value(0), api.value(2)]);
      return { type: 'group', children: [line(lo[0], lo[1], hi[0], hi[1]), line(lo[0] - 6, lo[1], lo[0] + 6, lo[1]),
                                          line(hi[0] - 6, hi[1], hi[0] + 6, hi[1])] };
    } };
  }
  D.distributions.forEach(function (o) {
    var c = box('dists'), arms = o.arms.map(function (a) { return a.arm; });
    if (o.kind === 'probability') {
      c.setOption({ title: { text: 'P(' + o.outcome + ')', subtext: o.definition + ' - bars: Wilson 95% CI' },
        grid: { top: 70 }, tooltip: {}, xAxis: categories(arms), yAxis: { min: 0, max: 1 },
        series: [{ type: 'bar', data: o.arms.map(function (a, i) {
                   return { value: a.estimate, itemStyle: { color: colors[i % colors.length] } }; }) },
                 errorBars(o.arms.map(function (a, i) { return [i, a.ci_low, a.ci_high]; }))] });
    } else {
      c.setOption({ title: { text: o.outcome, subtext: o.definition + ' - box: quartiles and range; dot: mean' },
        grid: { top: 70 }, tooltip: {}, xAxis: categories(arms), yAxis: { scale: true },
        series: [{ type: 'boxplot', data: o.arms.map(function (a) { return a.box; }) },
                 { type: 'scatter', symbolSize: 9, data: o.arms.map(function (a, i) { return [i, a.estimate]; }) }] });
    }
  });
  D.trajectories.forEach(function (t) {
    var c = box('trajs'), series = [];
    Object.keys(t.arms).forEach(function (arm, i) {
      var a = t.arms[arm], col = colors[i % colors.length], stack = 'band' + i;
      function pts(f) { return a.turn.map(function (x, j) { return [x, f(j)]; }); }
      var hidden = { lineStyle: { opacity: 0 }, showSymbol: false, silent: true, tooltip: { show: false } };
      series.push({ name: arm, type: 'line', data: pts(function (j) { return a.mean[j]; }), showSymbol: false,
                    lineStyle: { color: col }, itemStyle: { color: col } });
      series.push(Object.assign({ type: 'line', stack: stack, data: pts(function (j) { return a.low[j]; }) }, hidden));
      series.push(Object.assign({ type: 'line', stack: stack, areaStyle: { color: col, opacity: 0.15 },
                                  data: pts(function (j) { return a.high[j] - a.low[j]; }) }, hidden));
    });
    c.setOption({ title: { text: t.outcome, subtext: t.label + ' - band: ' + t.band }, grid: { top: 90 },
      legend: { top: 52, data: Object.keys(t.arms) }, tooltip: { trigger: 'axis' },
      xAxis: { type: 'value', name: 'turn', minInterval: 1 }, yAxis: { scale: true }, series: series });
  });
})();
