/* Statistics dashboard: draws each table from the json_script block with ECharts.
   Clicking a bar or slice opens the person list filtered the same way (when the filter exists). */
(function () {
  "use strict";
  var script = document.currentScript;
  var peopleUrl = script.dataset.peopleUrl;
  var unitUrl = script.dataset.unitUrl;  // ends in /0/, the id goes there
  var source = document.getElementById("stats-data");
  if (!source || !window.echarts) return;
  var tables = JSON.parse(source.textContent);
  var palette = ["#b3261e", "#1f5fa8", "#2e7d32", "#e0a100", "#6a4c93", "#00838f", "#8d6e63"];
  var sexes = ["#1f5fa8", "#d0576b"];
  var palettes = {
    age: sexes,
    retirement: sexes,
    // 核定, 实有, 预留, 空编, 超编
    establishment: ["#1f5fa8", "#7fa7d9", "#9e9e9e", "#2e7d32", "#b3261e"],
    over_units: ["#b3261e"],
    vacant_units: ["#2e7d32"],
    unit_type: ["#1f5fa8"]
  };
  var font = '"Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif';
  var drawn = [];

  function narrow() { return window.innerWidth < 576; }

  function column(t, i) { return t.rows.map(function (r) { return r[i]; }); }

  function base(t) {
    return {
      color: palettes[t.key] || palette,
      textStyle: { fontFamily: font },
      animationDuration: 400,
      toolbox: narrow() ? undefined : {
        right: 4, top: 0, itemSize: 13,
        feature: { saveAsImage: { title: "保存为图片", name: t.title, pixelRatio: 2 } }
      }
    };
  }

  function pie(t) {
    var small = narrow();
    return Object.assign(base(t), {
      tooltip: { trigger: "item", formatter: "{b}<br>{c}人（{d}%）" },
      legend: { type: "scroll", bottom: 0, itemWidth: 12, itemHeight: 12 },
      series: [{
        type: "pie",
        radius: small ? ["32%", "58%"] : ["38%", "64%"],
        center: ["50%", "45%"],
        avoidLabelOverlap: true,
        itemStyle: { borderColor: "#fff", borderWidth: 2 },
        label: { show: !small, formatter: "{b}\n{c}人" },
        data: t.rows.map(function (r) { return { name: r[0], value: r[1] }; })
      }]
    });
  }

  function bars(t, stacked) {
    // A stacked table ends with its 合计 column: draw the parts, print the total on top.
    var last = t.columns.length - (stacked ? 1 : 0);
    var totals = stacked ? column(t, t.columns.length - 1) : null;
    var series = [];
    for (var i = 1; i < last; i++) {
      series.push({
        name: t.columns[i],
        type: "bar",
        stack: stacked ? "all" : undefined,
        barMaxWidth: 36,
        data: column(t, i),
        label: { show: last === 2 || (stacked && i === last - 1), position: "top", fontSize: 11,
          formatter: stacked ? function (p) { return totals[p.dataIndex]; } : "{c}" }
      });
    }
    var longest = Math.max.apply(null, t.rows.map(function (r) { return String(r[0]).length; }));
    var crowded = narrow() && t.rows.length * longest > 26;
    return Object.assign(base(t), {
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" },
        valueFormatter: function (v) { return v + "人"; } },
      legend: series.length > 1 ? { top: 0, left: 0, itemWidth: 12, itemHeight: 12 } : undefined,
      grid: { left: 4, right: 12, top: series.length > 1 ? 36 : 24, bottom: 4, containLabel: true },
      xAxis: { type: "category", data: column(t, 0),
        axisLabel: { interval: 0, rotate: crowded ? 30 : 0, fontSize: 11 } },
      yAxis: { type: "value", minInterval: 1 },
      series: series
    });
  }

  function hbar(t) {
    var n = t.columns.length - 1;
    return Object.assign(base(t), {
      tooltip: {
        trigger: "axis", axisPointer: { type: "shadow" },
        formatter: function (items) {
          var row = t.rows[items[0].dataIndex];
          return [row[0]].concat(t.columns.slice(1).map(function (c, i) {
            return c + "：" + row[i + 1];
          })).join("<br>");
        }
      },
      grid: { left: 4, right: 36, top: 24, bottom: 4, containLabel: true },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", inverse: true, data: column(t, 0),
        axisLabel: { width: narrow() ? 84 : 170, overflow: "truncate", fontSize: 11 } },
      series: [{ name: t.columns[n], type: "bar", barMaxWidth: 22, data: column(t, n),
        label: { show: true, position: "right", fontSize: 11 } }]
    });
  }

  function option(t) {
    if (t.chart === "pie") return pie(t);
    if (t.chart === "hbar") return hbar(t);
    return bars(t, t.chart === "stack");
  }

  tables.forEach(function (t) {
    var el = document.getElementById("chart-" + t.key);
    if (!el) return;
    var chart = echarts.init(el, null, { renderer: "canvas" });
    chart.setOption(option(t));
    chart.on("click", function (p) {
      var link = t.links[p.dataIndex];
      if (link) window.location.href = peopleUrl + "?" + link;
      else if (t.ids[p.dataIndex]) window.location.href = unitUrl.replace(/\/0\/$/, "/" + t.ids[p.dataIndex] + "/");
    });
    drawn.push({ chart: chart, table: t });
  });

  var wasNarrow = narrow();
  var pending = null;
  function resize() {
    var now = narrow();
    drawn.forEach(function (d) {
      if (now !== wasNarrow) d.chart.setOption(option(d.table), true);
      d.chart.resize();
    });
    wasNarrow = now;
  }
  window.addEventListener("resize", function () {
    clearTimeout(pending);
    pending = setTimeout(resize, 120);
  });
  window.addEventListener("beforeprint", resize);
})();
