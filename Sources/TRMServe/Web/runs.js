// The runs page: every run with its status and live progress, filtered by name and status,
// refreshed every 2 s while a run is training (every 10 s otherwise, to notice new runs).
"use strict";

(() => {
  const { api, el, fill, fmt, showError, statusBadge, progress, queryString } = TRM;
  const nameInput = document.getElementById("filter-name");
  const statusSelect = document.getElementById("filter-status");
  const body = document.querySelector("#runs-table tbody");
  const compareButton = document.getElementById("compare-selected");
  const selected = new Set();
  let timer = null;

  nameInput.value = TRM.params("name")[0] || "";
  statusSelect.value = TRM.params("status")[0] || "";

  function filters() {
    return [["name", nameInput.value.trim()], ["status", statusSelect.value]];
  }

  function row(run) {
    const box = el("input", { type: "checkbox", "aria-label": `select ${run.name}`, onchange: (event) => {
      if (event.target.checked) selected.add(run.id); else selected.delete(run.id);
      compareButton.disabled = selected.size < 2;
    } });
    box.checked = selected.has(run.id);
    return el("tr", { "data-run-id": run.id, "data-status": run.status },
      el("td", {}, box),
      el("td", {}, el("a", { href: `/runs/${encodeURIComponent(run.id)}`, className: "run-name" }, run.name),
        run.group ? el("span", { className: "muted" }, ` (group ${run.group})`) : null),
      el("td", {}, el("code", {}, run.id)),
      el("td", {}, statusBadge(run.status)),
      el("td", {}, progress(run)),
      el("td", { className: "num" }, fmt.percent(run.best_exact_accuracy)),
      el("td", {}, fmt.date(run.started_at)),
      el("td", { className: "num" }, fmt.duration(TRM.wallTime(run))));
  }

  async function refresh() {
    clearTimeout(timer);
    let running = false;
    try {
      const { runs } = await api(`/api/runs${queryString(filters())}`);
      fill(body, runs.map(row));
      running = runs.some((r) => r.status === "running");
      const empty = document.getElementById("empty");
      empty.hidden = runs.length > 0;
      empty.textContent = nameInput.value || statusSelect.value
        ? "No run matches these filters."
        : "No runs yet. Start one with: trm-exp run experiments/smoke.json";
      document.getElementById("updated").textContent = `updated ${new Date().toLocaleTimeString()}${running ? " · live" : ""}`;
      showError(null);
    } catch (error) {
      showError(error.message);
    }
    timer = setTimeout(refresh, running ? 2000 : 10000);
  }

  function filtersChanged() {
    history.replaceState(null, "", `/${queryString(filters())}`);
    refresh();
  }

  nameInput.addEventListener("input", filtersChanged);
  statusSelect.addEventListener("change", filtersChanged);
  document.getElementById("filters").addEventListener("submit", (event) => event.preventDefault());
  compareButton.addEventListener("click", () => {
    location.href = `/compare${queryString([...selected].map((id) => ["run", id]))}`;
  });
  refresh();
})();
