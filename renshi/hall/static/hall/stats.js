/* Service-hall statistics: draws each table of the json_script block with ECharts
   (items: horizontal bars of received / accepted / concluded; sections and ratings: pies;
   the year's months: lines). */
(function () {
  "use strict";
  var source = document.getElementById("hall-stats-data");
  if (!source || !window.echarts) return;
  var tables = JSON.parse(source.textContent);
  var font = '"Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif';
  var palette = ["#1f5fa8", "#7fa7d9", "#2e7d32", "#e0a100", "#b3261e", "#6a4c93", "#00838f"];
  // 非常满意 … 非常不满意
  var ratings = ["#2e7d32", "#7cb342", "#e0a100", "#ef6c00", "#b3261e"];
  var drawn = [];

  function narrow() { return window.innerWidth < 576; }
  function column(t, i) { return t.rows.map(function (r) { return r[i]; }); }

  function base(t) {
    return {
      color: t.key === "ratings" ? ratings : palette,
      textStyle: { fontFamily: font },
      animationDuration: 400,
      toolbox: narrow() ? undefined : {
        right: 4, top: 0, itemSize: 13,
        feature: { saveAsImage: { title: "保存为图片", name: t.title, pixelRatio: 2 } }
      }
    };
  }

  function pie(t) {
    return Object.assign(base(t), {
      tooltip: { trigger: "item", formatter: "{b}<br>{c}件（{d}%）" },
      legend: { type: "scroll", bottom: 0, itemWidth: 12, itemHeight: 12 },
      series: [{
        type: "pie", radius: narrow() ? ["32%", "58%"] : ["38%", "64%"], center: ["50%", "45%"],
        itemStyle: { borderColor: "#fff", borderWidth: 2 },
        label: { show: !narrow(), formatter: "{b}\n{c}件" },
        data: t.rows.map(function (r) { return { name: r[0], value: r[1] }; })
      }]
    });
  }

  function items(t) {
    var series = [1, 2, 3].map(function (i) {
      return { name: t.columns[i], type: "bar", barMaxWidth: 12, data: column(t, i) };
    });
    return Object.assign(base(t), {
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" },
        formatter: function (items) {
          var row = t.rows[items[0].dataIndex];
          return [row[0]].concat(t.columns.slice(1).map(function (c, i) {
            return c + "：" + (row[i + 1] === "" ? "—" : row[i + 1]);
          })).join("<br>");
        } },
      legend: { top: 0, left: 0, itemWidth: 12, itemHeight: 12 },
      grid: { left: 4, right: 24, top: 28, bottom: 4, containLabel: true },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", inverse: true, data: column(t, 0),
        axisLabel: { width: narrow() ? 90 : 170, overflow: "truncate", fontSize: 11 } },
      series: series
    });
  }

  function line(t) {
    return Object.assign(base(t), {
      tooltip: { trigger: "axis", valueFormatter: function (v) { return v + "件"; } },
      legend: { top: 0, left: 0, itemWidth: 12, itemHeight: 12 },
      grid: { left: 4, right: 12, top: 32, bottom: 4, containLabel: true },
      xAxis: { type: "category", data: column(t, 0), axisLabel: { fontSize: 11 } },
      yAxis: { type: "value", minInterval: 1 },
      series: [1, 2].map(function (i) {
        return { name: t.columns[i], type: "line", symbolSize: 6, data: column(t, i),
          areaStyle: i === 1 ? { opacity: 0.08 } : undefined };
      })
    });
  }

  function option(t) {
    if (t.chart === "pie") return pie(t);
    if (t.chart === "line") return line(t);
    return items(t);
  }

  tables.forEach(function (t) {
    var el = document.getElementById("chart-" + t.key);
    if (!el) return;
    var chart = echarts.init(el, null, { renderer: "canvas" });
    chart.setOption(option(t));
    drawn.push({ chart: chart, table: t });
  });

  var wasNarrow = narrow();
  var pending = null;
  window.addEventListener("resize", function () {
    clearTimeout(pending);
    pending = setTimeout(function () {
      var now = narrow();
      drawn.forEach(function (d) {
        if (now !== wasNarrow) d.chart.setOption(option(d.table), true);
        d.chart.resize();
      });
      wasNarrow = now;
    }, 120);
  });
  window.addEventListener("beforeprint", function () {
    drawn.forEach(function (d) { d.chart.resize(); });
  });
})();
