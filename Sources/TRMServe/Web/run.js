// One run: header with live progress, loss and exact-accuracy curves, the K statistics of a
// chosen evaluation (accuracy at K, halting histograms, optimal K by difficulty), checkpoints,
// provenance and config. Refreshes every 3 s while the run trains.
"use strict";

(() => {
  const { api, el, fill, fmt, showError, statusBadge, progress, queryString } = TRM;
  const reference = decodeURIComponent(location.pathname.replace(/^\/runs\//, ""));
  const splitSelect = document.getElementById("k-split");
  const stepSelect = document.getElementById("k-step");
  let run = null;
  let evaluations = {};

  function header(detail) {
    const r = detail.run;
    document.title = `${r.name} · trm-exp`;
    return [
      el("h1", { id: "run-name" }, r.name, " ", statusBadge(r.status)),
      el("p", {}, el("code", {}, r.id), r.group ? ` · group ${r.group}` : "", " · ", progress(r),
        ` · best test exact accuracy ${fmt.percent(r.best_exact_accuracy)} · wall time ${fmt.duration(TRM.wallTime(r))}`),
      el("p", {},
        el("a", { href: `/playground${queryString([["run", r.id]])}` }, "Solve puzzles with this run"), " · ",
        el("a", { href: `/compare${queryString([["run", r.id]])}` }, "Compare with other runs")),
    ];
  }

  function provenance(detail) {
    const r = detail.run;
    const rows = [
      ["id", r.id], ["status", r.status], ["steps", r.total_steps ? `${r.step} of ${r.total_steps}` : r.step],
      ["started", fmt.date(r.started_at)], ["ended", fmt.date(r.ended_at)], ["seed", r.seed], ["config hash", r.config_hash],
      ["dataset digest", r.dataset_digest ?? "–"], ["trm-exp version", r.version], ["git commit", r.git_commit ?? "–"], ["host", r.host],
    ];
    return rows.map(([k, v]) => el("tr", {}, el("th", {}, k), el("td", {}, String(v))));
  }

  function checkpoints(detail) {
    if (!detail.checkpoints.length) return [el("tr", {}, el("td", { colspan: 6, className: "muted" }, "No checkpoints yet."))];
    return detail.checkpoints.slice().reverse().map((c) => el("tr", { "data-step": c.step },
      el("td", { className: "num" }, c.step), el("td", {}, c.is_best ? "best" : ""), el("td", { className: "num" }, fmt.bytes(c.bytes)),
      el("td", {}, el("code", { title: c.sha256 }, c.sha256.slice(0, 12))), el("td", {}, fmt.date(c.created_at)),
      el("td", {}, el("a", { href: `/playground${queryString([["run", detail.run.id], ["checkpoint", c.step]])}` }, "playground"))));
  }

  async function curves(id) {
    const { series } = await api(`/api/runs/${encodeURIComponent(id)}/metrics`);
    const find = (split, key) => series.find((s) => s.split === split && s.key === key);
    const pick = (entries) => entries.map(([split, key, label]) => ({ label, points: (find(split, key) || {}).points || [] }));
    return [
      Charts.line({ title: "Loss", xLabel: "step", yLabel: "loss", integerX: true,
        series: pick([["train", "loss", "train loss"], ["test", "lm_loss", "test lm_loss"]]) }),
      Charts.line({ title: "Exact accuracy", xLabel: "step", yLabel: "exact accuracy", yRange: [0, 1], integerX: true,
        series: pick([["test", "exact_accuracy", "test"], ["train", "exact_accuracy", "train"]]) }),
    ];
  }

  function fillSelect(select, values, chosen, label = (v) => v) {
    fill(select, values.map((v) => el("option", { value: v }, label(v))));
    if (values.map(String).includes(String(chosen))) select.value = chosen;
  }

  async function kStatistics() {
    const splits = Object.keys(evaluations).sort();
    document.getElementById("k-empty").hidden = splits.length > 0;
    if (!splits.length) { fill(document.getElementById("k-charts")); fill(document.getElementById("k-tables")); return; }
    fillSelect(splitSelect, splits, splitSelect.value || (splits.includes("test") ? "test" : splits[0]));
    const steps = evaluations[splitSelect.value] || [];
    fillSelect(stepSelect, steps.slice().reverse(), stepSelect.value || steps[steps.length - 1]);
    const k = await api(`/api/runs/${encodeURIComponent(run.id)}/k-statistics${queryString([["split", splitSelect.value], ["step", stepSelect.value]])}`);
    const ks = k.accuracy.map((a) => a.k);
    const charts = [
      Charts.line({ title: "Accuracy at K", xLabel: "ACT steps K", yLabel: "accuracy", yRange: [0, 1], integerX: true, series: [
        { label: "exact", points: k.accuracy.map((a) => [a.k, a.exact_accuracy]) },
        { label: "token", points: k.accuracy.map((a) => [a.k, a.token_accuracy]) }] }),
      ...k.halting.map((h, i) => Charts.bar({ title: `Halting step (${h.rule})`, xLabel: "K", yLabel: "examples",
        categories: h.histogram.map((_, j) => String(j + 1)), series: [{ label: h.rule, values: h.histogram, color: Charts.palette[i % 8] }] })),
    ];
    if (k.difficulty.length) {
      charts.push(Charts.bar({ title: "Optimal K by difficulty", xLabel: "difficulty quantile", yLabel: "K",
        categories: k.difficulty.map((b, i) => `Q${i + 1}`), series: [
          { label: "mean optimal K", values: k.difficulty.map((b) => b.mean_optimal_k ?? NaN) },
          { label: "mean halting K (q>0)", values: k.difficulty.map((b) => b.mean_halt_k ?? NaN) }] }));
    }
    fill(document.getElementById("k-charts"), charts);
    const halting = { title: "Halting rules", note: "Each example stops where its rule first fires (K_max if never).",
      headers: ["rule", "exact acc.", "token acc.", "mean K", "steps saved", "never halted"], numeric: [1, 2, 3, 4, 5],
      rows: k.halting.map((h) => [h.rule, fmt.number(h.exact_accuracy), fmt.number(h.token_accuracy), fmt.number(h.mean_k), fmt.percent(h.steps_saved), String(h.never_halted)]) };
    const e = k.examples;
    const profile = { title: "Per-example K", note: "Optimal K: the first step after which the answer stays right.",
      headers: ["examples", "correct at K_max", "ever correct", "regressed", "mean optimal K", "mean halting K"], numeric: [0, 1, 2, 3, 4, 5],
      rows: [[String(e.count), fmt.percent(e.correct_at_max), fmt.percent(e.ever_correct), fmt.percent(e.regressed), fmt.number(e.mean_optimal_k, 2), fmt.number(e.mean_halt_k, 2)]] };
    const difficulty = { title: "K by difficulty", note: "Quantile buckets of the difficulty measure, lowest first.",
      headers: ["bucket", "difficulty", "examples", "solved", "mean optimal K", "mean halting K"], numeric: [2, 3, 4, 5],
      rows: k.difficulty.map((b, i) => [`Q${i + 1}`, `${b.lower}–${b.upper}`, String(b.count), fmt.percent(b.solved), fmt.number(b.mean_optimal_k, 2), fmt.number(b.mean_halt_k, 2)]) };
    fill(document.getElementById("k-tables"), TRM.table(halting), TRM.table(profile), k.difficulty.length ? TRM.table(difficulty) : null,
      el("p", { className: "note" }, `Evaluation at step ${k.step} on split "${k.split}", K = 1…${Math.max(...ks)}.`));
  }

  async function load() {
    try {
      const detail = await api(`/api/runs/${encodeURIComponent(reference)}`);
      run = detail.run;
      evaluations = detail.k_evaluations;
      fill(document.getElementById("run-header"), header(detail));
      fill(document.querySelector("#provenance tbody"), provenance(detail));
      fill(document.querySelector("#checkpoints tbody"), checkpoints(detail));
      document.getElementById("config").textContent = JSON.stringify(detail.config, null, 2);
      fill(document.getElementById("curves"), await curves(run.id));
      await kStatistics();
      showError(null);
      if (run.status === "running") setTimeout(load, 3000);
    } catch (error) {
      showError(error.message);
    }
  }

  splitSelect.addEventListener("change", () => { stepSelect.value = ""; kStatistics().catch((e) => showError(e.message)); });
  stepSelect.addEventListener("change", () => kStatistics().catch((e) => showError(e.message)));
  load();
})();
