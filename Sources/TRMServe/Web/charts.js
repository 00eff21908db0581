// Line and bar charts as inline SVG, drawn here rather than by a library so the pages load
// nothing from elsewhere. Same look as the HTML report's charts: ticks at 1/2/5 × 10^n,
// Okabe–Ito colours, a legend on the right. Elements carry classes (series, point, bar) and data
// attributes so tests and tools can read the drawn data back.
"use strict";

const Charts = (() => {
  const palette = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000"];
  const { svg, el } = TRM;

  /** About five round tick values covering [low, high]. */
  function ticks(low, high) {
    const span = high - low;
    if (!(span > 0) || !Number.isFinite(span)) return [low];
    const raw = span / 5;
    const magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
    const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) || 10 * magnitude;
    const decimals = Math.max(0, -Math.floor(Math.log10(step)));
    const values = [];
    for (let i = Math.ceil(low / step - 1e-9); i * step <= high + step * 1e-9; i++) values.push(Number((i * step).toFixed(decimals)));
    return values;
  }

  function label(value) {
    return Number.isInteger(value) && Math.abs(value) < 1e9 ? String(value) : Number(value.toPrecision(4)).toString();
  }

  function range(values, pad) {
    const finite = values.filter(Number.isFinite);
    if (!finite.length) return [0, 1];
    let low = Math.min(...finite), high = Math.max(...finite);
    if (low === high) return [low - 1, high + 1];
    const margin = (high - low) * pad;
    return [low - margin, high + margin];
  }

  /** The frame shared by both chart kinds: title, axes captions, gridlines and tick labels. */
  function frame(spec, width, height, box, xTicks, yTicks) {
    const root = svg("svg", {
      class: "chart", width, height, viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": spec.title, "data-title": spec.title,
    });
    root.append(svg("text", { x: width / 2, y: 18, "font-size": 13, "text-anchor": "middle", fill: "#111", class: "chart-title" }, spec.title));
    for (const t of yTicks) {
      root.append(svg("line", { x1: box.left, x2: box.right, y1: t.y, y2: t.y, stroke: "#e5e5e5" }));
      root.append(svg("text", { x: box.left - 6, y: t.y + 3, "font-size": 10, "text-anchor": "end", fill: "#333" }, t.text));
    }
    for (const t of xTicks) {
      if (t.grid) root.append(svg("line", { x1: t.x, x2: t.x, y1: box.top, y2: box.bottom, stroke: "#e5e5e5" }));
      root.append(svg("text", { x: t.x, y: box.bottom + 14, "font-size": 10, "text-anchor": "middle", fill: "#333" }, t.text));
    }
    root.append(svg("line", { x1: box.left, x2: box.right, y1: box.bottom, y2: box.bottom, stroke: "#555" }));
    root.append(svg("line", { x1: box.left, x2: box.left, y1: box.top, y2: box.bottom, stroke: "#555" }));
    root.append(svg("text", { x: (box.left + box.right) / 2, y: height - 8, "font-size": 11, "text-anchor": "middle", fill: "#333" }, spec.xLabel || ""));
    const cy = (box.top + box.bottom) / 2;
    root.append(svg("text", { x: 14, y: cy, "font-size": 11, "text-anchor": "middle", fill: "#333", transform: `rotate(-90 14 ${cy})` }, spec.yLabel || ""));
    return root;
  }

  function legend(root, labels, box, colors) {
    labels.forEach((text, i) => {
      const y = box.top + 6 + i * 16;
      root.append(svg("rect", { x: box.right + 12, y: y - 8, width: 10, height: 10, fill: colors[i] }));
      root.append(svg("text", { x: box.right + 27, y: y + 1, "font-size": 11, fill: "#333", class: "legend-label" }, text));
    });
  }

  function empty(spec, width, height) {
    const root = svg("svg", { class: "chart empty", width, height, viewBox: `0 0 ${width} ${height}`, "data-title": spec.title });
    root.append(svg("text", { x: width / 2, y: 18, "font-size": 13, "text-anchor": "middle", fill: "#111", class: "chart-title" }, spec.title));
    root.append(svg("text", { x: width / 2, y: height / 2, "font-size": 12, "text-anchor": "middle", fill: "#888" }, "no data yet"));
    return el("figure", {}, root);
  }

  /**
   * A line chart. spec: {title, xLabel, yLabel, yRange: [lo, hi] | null, integerX, series: [{label, points: [[x, y]]}],
   * guides: [{y, label}] (dashed horizontal lines), markers: [{x, label, className}] (vertical lines)}.
   */
  function line(spec) {
    const width = spec.width || 560, height = spec.height || 300;
    const series = (spec.series || []).filter((s) => s.points && s.points.length);
    if (!series.length) return empty(spec, width, height);
    const box = { left: 60, top: 30, right: width - 150, bottom: height - 45 };
    const xs = series.flatMap((s) => s.points.map((p) => p[0]));
    const ys = series.flatMap((s) => s.points.map((p) => p[1]));
    const [x0, x1] = range(xs, 0);
    const [y0, y1] = spec.yRange || range(ys, 0.05);
    const px = (x) => box.left + ((x - x0) / (x1 - x0)) * (box.right - box.left);
    const py = (y) => box.bottom - ((y - y0) / (y1 - y0)) * (box.bottom - box.top);
    // Steps and K are whole numbers: no ticks between them.
    const xTicks = ticks(x0, x1).filter((t) => !spec.integerX || Number.isInteger(t));
    const root = frame(spec, width, height, box,
      xTicks.map((t) => ({ x: px(t), text: label(t), grid: true })),
      ticks(y0, y1).map((t) => ({ y: py(t), text: label(t) })));
    for (const guide of spec.guides || []) {
      root.append(svg("line", { x1: box.left, x2: box.right, y1: py(guide.y), y2: py(guide.y), stroke: "#999", "stroke-dasharray": "4,3", class: "guide" }));
      if (guide.label) root.append(svg("text", { x: box.right - 4, y: py(guide.y) - 4, "font-size": 10, "text-anchor": "end", fill: "#666" }, guide.label));
    }
    for (const marker of spec.markers || []) {
      const x = px(marker.x);
      root.append(svg("line", { x1: x, x2: x, y1: box.top, y2: box.bottom, stroke: marker.color || "#D55E00", "stroke-width": 2,
        "stroke-dasharray": marker.dashed ? "4,3" : null, class: `marker ${marker.className || ""}`, "data-x": marker.x }));
      // Labels sit inside the plot: right of the line in its left half, left of it in its right half.
      const right = x > (box.left + box.right) / 2;
      if (marker.label) root.append(svg("text", { x: right ? x - 4 : x + 4, y: box.top + 12 + (marker.dashed ? 12 : 0), "font-size": 10,
        "text-anchor": right ? "end" : "start", fill: marker.color || "#D55E00" }, marker.label));
    }
    const colors = series.map((s, i) => s.color || palette[i % palette.length]);
    series.forEach((s, i) => {
      const points = s.points.filter((p) => Number.isFinite(p[1]));
      root.append(svg("polyline", {
        class: "series", "data-label": s.label, "data-count": points.length, fill: "none", stroke: colors[i], "stroke-width": 2,
        points: points.map((p) => `${px(p[0]).toFixed(2)},${py(p[1]).toFixed(2)}`).join(" "),
      }));
      // Dots only while they stay readable; each has its value as a tooltip.
      if (points.length <= 200) {
        for (const p of points) {
          root.append(svg("circle", { class: "point", "data-label": s.label, "data-x": p[0], "data-y": p[1], cx: px(p[0]).toFixed(2), cy: py(p[1]).toFixed(2), r: 2.5, fill: colors[i] },
            svg("title", {}, `${s.label}: ${label(p[0])}, ${TRM.fmt.number(p[1])}`)));
        }
      }
    });
    legend(root, series.map((s) => s.label), box, colors);
    return el("figure", { className: "line-chart" }, root);
  }

  /** A bar chart, bars grouped per category. spec: {title, xLabel, yLabel, categories, series: [{label, values, color}]}. */
  function bar(spec) {
    const width = spec.width || 420, height = spec.height || 240;
    const series = (spec.series || []).filter((s) => s.values && s.values.some((v) => Number.isFinite(v)));
    const categories = spec.categories || [];
    if (!series.length || !categories.length) return empty(spec, width, height);
    // A legend names the series when several were asked for, even if only one has data.
    const named = (spec.series || []).length > 1;
    const box = { left: 48, top: 30, right: width - (named ? 140 : 12), bottom: height - 40 };
    const highest = Math.max(1e-9, ...series.flatMap((s) => s.values.filter(Number.isFinite)));
    const py = (v) => box.bottom - (v / highest) * (box.bottom - box.top);
    const slot = (box.right - box.left) / categories.length;
    const every = Math.max(1, Math.ceil(categories.length / 12));
    const root = frame(spec, width, height, box,
      categories.map((c, i) => ({ x: box.left + (i + 0.5) * slot, text: i % every === 0 ? c : "" })),
      ticks(0, highest).map((t) => ({ y: py(t), text: label(t) })));
    const colors = series.map((s, i) => s.color || palette[i % palette.length]);
    const barWidth = (slot * 0.8) / series.length;
    series.forEach((s, j) => {
      categories.forEach((category, i) => {
        const value = s.values[i];
        if (!Number.isFinite(value)) return;
        const x = box.left + i * slot + slot * 0.1 + j * barWidth;
        root.append(svg("rect", { class: "bar", "data-label": s.label, "data-category": category, "data-value": value,
          x: x.toFixed(2), y: py(value).toFixed(2), width: barWidth.toFixed(2), height: (box.bottom - py(value)).toFixed(2), fill: colors[j] },
          svg("title", {}, `${spec.xLabel || ""} ${category}: ${label(value)}${named ? ` (${s.label})` : ""}`)));
      });
    });
    if (named) legend(root, series.map((s) => s.label), box, colors);
    return el("figure", { className: "bar-chart" }, root);
  }

  return { line, bar, ticks, palette };
})();
