import ArgumentParser
import Foundation
import TRMExperiment

/// `trm-exp compare RUN RUN… [--html FILE] [--markdown]` and `trm-exp compare --reference FILE`
struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare runs side by side: config differences, metrics, accuracy at K, halting, speed.",
        discussion: """
            Each RUN is a run id, a unique id prefix, a name (the latest run of that name), or a group: group:NAME, or \
            a bare NAME that no run has (the runs of `trm-exp run CONFIG --seeds …` are NAME-s<seed> in group NAME). \
            Groups show mean ± sample standard deviation over their runs, and their curves a mean line with the \
            lowest-to-highest band. Prints aligned tables; --markdown prints Markdown instead; --html also writes one \
            self-contained page with plots.

            --reference FILE compares the recipes listed in FILE (official results, e.g. \
            experiments/reference/reference-results.json) with the latest finished run or seed group of each name.
            """)

    @Argument(help: ArgumentHelp("Runs to compare: id, id prefix, name, group name or group:NAME.", valueName: "run"))
    var references: [String] = []

    @Option(
        name: .customLong("reference"),
        help: ArgumentHelp("Compare our runs with the reference results in this file instead of naming runs.", valueName: "file"))
    var referenceResults: String?

    @Option(help: ArgumentHelp("Also write the report as one self-contained HTML file with plots.", valueName: "file"))
    var html: String?

    @Flag(help: "Print Markdown tables instead of aligned text.")
    var markdown = false

    @Option(help: .store)
    var store: String = RunStore.defaultPath

    func validate() throws {
        if referenceResults == nil && references.isEmpty {
            throw ValidationError("name at least one run or group (`trm-exp runs` lists them), or give --reference FILE")
        }
        if referenceResults != nil && !references.isEmpty {
            throw ValidationError("--reference compares the recipes its file lists; leave out the run names")
        }
    }

    func run() throws {
        let report: (text: String, markdown: String, html: () -> String)
        if let referenceResults {
            let results = try ReferenceResults.load(contentsOf: URL(fileURLWithPath: referenceResults))
            let comparison = try ReferenceComparison(results: results, storePath: store)
            report = (comparison.table.text, comparison.table.markdown + "\n", { comparison.html() })
        } else {
            let comparison = try RunComparison(references: references, store: try RunStore.openExisting(path: store))
            comparison.notes.forEach { Console.standardError.writeLine("note: \($0)") }
            report = (ComparisonReport.text(comparison), ComparisonReport.markdown(comparison), { ComparisonReport.html(comparison) })
        }
        print(markdown ? report.markdown : report.text)
        if let html {
            do {
                try Data(report.html().utf8).write(to: URL(fileURLWithPath: html), options: .atomic)
            } catch {
                throw ReportError("cannot write \(html): \(error.localizedDescription); check that the folder exists and is writable")
            }
            print("\nwrote \(html)")
        }
    }
}
