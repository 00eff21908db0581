// The comparison page: pick runs, then see what `trm-exp compare` reports (the same tables) with
// its plots drawn as charts. The choice lives in the URL (?run=A&run=B), so it can be shared.
"use strict";

(() => {
  const { api, el, fill, showError, queryString } = TRM;
  const chosen = TRM.params("run");

  async function picker() {
    const { runs } = await api("/api/runs");
    const known = new Set(runs.map((r) => r.id));
    const boxes = runs.map((run) => el("label", { className: "inline" },
      el("input", { type: "checkbox", name: "run", value: run.id, checked: chosen.includes(run.id) || chosen.includes(run.name) }),
      `${run.name} `, el("code", {}, run.id.slice(0, 6)), " ", TRM.statusBadge(run.status)));
    // References that are not plain runs (group:NAME, names of older runs) stay selected as text.
    const others = chosen.filter((c) => !known.has(c) && !runs.some((r) => r.name === c))
      .map((c) => el("label", { className: "inline" }, el("input", { type: "checkbox", name: "run", value: c, checked: true }), c));
    fill(document.getElementById("run-choices"), boxes.concat(others));
    if (!runs.length) fill(document.getElementById("run-choices"), el("p", { className: "muted" }, "No runs in this store yet."));
  }

  async function compare() {
    if (!chosen.length) return;
    const report = await api(`/api/compare${queryString(chosen.map((c) => ["run", c]))}`);
    fill(document.getElementById("subjects"), "Comparing ",
      report.subjects.map((s, i) => [i ? " vs " : "", el("strong", { className: "subject" }, s.label)]),
      chosen.length < 2 ? el("span", { className: "muted" }, " (pick another run to compare)") : null);
    const lines = report.line_charts.map((c) => Charts.line({ title: c.title, xLabel: c.x_label, yLabel: c.y_label, yRange: c.y_range, integerX: true, series: c.series }));
    const bars = report.bar_charts.map((c) => Charts.bar({ title: c.title, xLabel: c.x_label, yLabel: c.y_label, categories: c.categories, series: c.series, width: 360 }));
    fill(document.getElementById("charts"), lines, bars);
    fill(document.getElementById("tables"), report.tables.map((t) => TRM.table(t, { "data-title": t.title })));
    document.getElementById("comparison").hidden = false;
  }

  document.getElementById("picker").addEventListener("submit", (event) => {
    event.preventDefault();
    const runs = [...document.querySelectorAll("#run-choices input:checked")].map((box) => box.value);
    location.href = `/compare${queryString(runs.map((r) => ["run", r]))}`;
  });

  picker().then(compare).then(() => showError(null)).catch((error) => showError(error.message));
})();
