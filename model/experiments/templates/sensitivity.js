// The charts of sensitivity.html (ECharts): mu_star with its interval, and mu_star against sigma.
'use strict';
(function () {
  var D = JSON.parse(document.getElementById('data').textContent), root = document.getElementById('charts');
  function third(p) { return p.data[2]; }
  D.forEach(function (o) {
    var row = document.createElement('div'), a = document.createElement('div'), b = document.createElement('div');
    row.className = 'grid';
    a.className = b.className = 'chart';
    row.appendChild(a);
    row.appendChild(b);
    root.appendChild(row);
    var rows = o.rows.slice().reverse();
    var bars = rows.map(function (r, i) { return [r.mu_star - r.mu_star_conf, r.mu_star + r.mu_star_conf, i]; });
    echarts.init(a).setOption({ title: { text: o.outcome, subtext: 'mu_star with 95% bootstrap interval' },
      grid: { left: 160, top: 60 }, tooltip: {}, xAxis: { type: 'value' },
      yAxis: { type: 'category', data: rows.map(function (r) { return r.parameter; }) },
      series: [{ type: 'bar', data: rows.map(function (r) { return r.mu_star; }) },
        { type: 'custom', z: 10, data: bars, renderItem: function (p, api) {
            var l = api.coord([api.value(0), api.value(2)]), h = api.coord([api.value(1), api.value(2)]);
            return { type: 'line', shape: { x1: l[0], y1: l[1], x2: h[0], y2: h[1] },
                     style: { stroke: '#222', lineWidth: 1.5 } }; } }] });
    echarts.init(b).setOption({ title: { text: o.outcome + ': mu_star vs sigma' }, grid: { top: 60 },
      tooltip: { formatter: third }, xAxis: { name: 'mu_star' }, yAxis: { name: 'sigma' },
      series: [{ type: 'scatter', symbolSize: 12, label: { show: true, position: 'right', formatter: third },
                 data: o.rows.map(function (r) { return [r.mu_star, r.sigma, r.parameter]; }) }] });
  });
})();
