// Charts of the indicator pages. Data comes from json_script elements named by each chart's
// data-source (the CSP allows no inline script); ECharts is the vendored copy.
(function () {
  "use strict";

  function data(element) {
    const source = document.getElementById(element.dataset.source);
    return source ? JSON.parse(source.textContent) : null;
  }

  function percent(value) {
    return value === null || value === undefined ? "—" : value.toFixed(2) + "%";
  }

  function targetLine(target, labelled) {
    if (target === null || target === undefined) {
      return undefined;
    }
    return {
      silent: true,
      symbol: "none",
      lineStyle: { type: "dashed", color: "#6c757d" },
      label: { show: labelled, formatter: "目标 " + target + "%", position: "insideEndTop" },
      data: [{ yAxis: target }],
    };
  }

  function bounds(values, target) {
    const numbers = values.filter((v) => v !== null);
    if (target !== null && target !== undefined) {
      numbers.push(target);
    }
    if (!numbers.length) {
      return { min: 0, max: 100 };
    }
    const low = Math.min.apply(null, numbers);
    return { min: Math.max(0, Math.floor((low - 5) / 5) * 5), max: 100 };
  }

  function spark(element) {
    const chart = data(element);
    if (!chart || !chart.values.length) {
      element.textContent = "暂无逐月数据";
      element.classList.add("small", "text-muted");
      return;
    }
    const range = bounds(chart.values, chart.target);
    echarts.init(element).setOption({
      animation: false,
      grid: { left: 2, right: 2, top: 6, bottom: 2 },
      tooltip: { trigger: "axis", valueFormatter: percent },
      xAxis: { type: "category", data: chart.months, show: false },
      yAxis: { type: "value", min: range.min, max: range.max, show: false },
      series: [
        {
          type: "line",
          data: chart.values,
          connectNulls: false,
          symbolSize: 4,
          areaStyle: { opacity: 0.12 },
          markLine: targetLine(chart.target, false),
        },
      ],
    });
  }

  function trend(element) {
    const chart = data(element);
    if (!chart) {
      return;
    }
    const range = bounds(chart.values.concat([chart.projection]), chart.target);
    const series = [
      {
        name: chart.unit,
        type: "line",
        data: chart.values,
        markLine: targetLine(chart.target, true),
      },
    ];
    if (chart.projection !== null && chart.months.length < 12) {
      // from the last month to December, dotted: the run-rate projection
      const months = chart.months.slice();
      const projected = chart.values.map(() => null);
      projected[projected.length - 1] = chart.values[chart.values.length - 1];
      months.push("12月（预测）");
      projected.push(chart.projection);
      chart.months = months;
      series.push({
        name: "年末预测",
        type: "line",
        data: projected,
        connectNulls: true,
        lineStyle: { type: "dotted" },
      });
    }
    echarts.init(element).setOption({
      tooltip: { trigger: "axis", valueFormatter: percent },
      legend: { top: 0 },
      grid: { left: 48, right: 24, top: 36, bottom: 28 },
      xAxis: { type: "category", data: chart.months },
      yAxis: { type: "value", min: range.min, max: range.max, axisLabel: { formatter: "{value}%" } },
      series: series,
    });
  }

  function map(element) {
    const chart = data(element);
    if (!chart) {
      return;
    }
    fetch(chart.geo, { credentials: "same-origin" })
      .then((response) => {
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.json();
      })
      .then((geo) => {
        echarts.registerMap("chongqing-districts", geo);
        echarts.init(element).setOption({
          title: { text: chart.title, left: "center", textStyle: { fontSize: 14 } },
          tooltip: {
            trigger: "item",
            formatter: (item) => (item.data ? item.data.text : item.name),
          },
          series: [
            {
              type: "map",
              map: "chongqing-districts",
              roam: true,
              label: {
                show: true,
                fontSize: 9,
                formatter: (item) => (item.data ? item.data.areaLabel : item.name),
              },
              emphasis: { label: { show: true } },
              data: chart.areas.map((area) => ({
                name: area.name,
                value: area.value,
                text: area.text,
                areaLabel: area.label,
                itemStyle: { areaColor: area.colour },
              })),
            },
          ],
        });
      })
      .catch(() => {
        element.textContent = "区县边界文件加载失败，请查看右侧各单位色块。";
        element.classList.add("alert", "alert-warning");
      });
  }

  const charts = { spark: spark, trend: trend, map: map };
  document.addEventListener("DOMContentLoaded", () => {
    if (typeof echarts === "undefined") {
      return;
    }
    document.querySelectorAll("[data-chart]").forEach((element) => {
      const draw = charts[element.dataset.chart];
      if (draw) {
        draw(element);
      }
    });
    window.addEventListener("resize", () => {
      document.querySelectorAll("[data-chart]").forEach((element) => {
        const chart = echarts.getInstanceByDom(element);
        if (chart) {
          chart.resize();
        }
      });
    });
  });
})();
