// Exam office: submissions per day and the review status split (data from json_script).
(function () {
  var data = JSON.parse(document.getElementById("exam-stats").textContent);
  var daily = echarts.init(document.getElementById("chart-daily"));
  daily.setOption({
    tooltip: { trigger: "axis" },
    grid: { left: 40, right: 16, top: 16, bottom: 28 },
    xAxis: { type: "category", data: data.days },
    yAxis: { type: "value", minInterval: 1 },
    series: [{ type: "bar", name: "报名", data: data.submitted, barMaxWidth: 36, itemStyle: { color: "#b3261e" } }],
  });
  var status = echarts.init(document.getElementById("chart-status"));
  status.setOption({
    tooltip: { trigger: "item" },
    legend: { bottom: 0 },
    series: [{ type: "pie", radius: ["40%", "68%"], top: -20, data: data.status, label: { formatter: "{b}\n{c}" } }],
  });
  window.addEventListener("resize", function () { daily.resize(); status.resize(); });
})();
