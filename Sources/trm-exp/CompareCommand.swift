import ArgumentParser
import Foundation
import TRMExperiment

/// `trm-exp compare RUN RUN… [--html FILE] [--markdown]`
struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare runs side by side: config differences, metrics, accuracy at K, halting, speed.",
        discussion: """
            Each RUN is a run id, a unique id prefix, a name (the latest run of that name), or group:NAME for all runs \
            of a group (shown as mean ± standard deviation). Prints aligned tables; --markdown prints Markdown instead; \
            --html also writes one self-contained page with plots.
            """)

    @Argument(help: ArgumentHelp("Runs to compare: id, id prefix, name, or group:NAME.", valueName: "run"))
    var references: [String]

    @Option(help: ArgumentHelp("Also write the report as one self-contained HTML file with plots.", valueName: "file"))
    var html: String?

    @Flag(help: "Print Markdown tables instead of aligned text.")
    var markdown = false

    @Option(help: "The run store (SQLite database).")
    var store: String = RunStore.defaultPath

    func validate() throws {
        guard !references.isEmpty else {
            throw ValidationError("name at least one run or group:NAME; `trm-exp runs` lists them")
        }
    }

    func run() throws {
        let comparison = try RunComparison(references: references, store: try RunStore.openExisting(path: store))
        print(markdown ? ComparisonReport.markdown(comparison) : ComparisonReport.text(comparison))
        if let html {
            do {
                try Data(ComparisonReport.html(comparison).utf8).write(to: URL(fileURLWithPath: html), options: .atomic)
            } catch {
                throw ReportError("cannot write \(html): \(error.localizedDescription); check that the folder exists and is writable")
            }
            print("\nwrote \(html)")
        }
    }
}
