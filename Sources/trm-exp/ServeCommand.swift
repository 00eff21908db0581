import ArgumentParser
import Foundation
import TRMExperiment
import TRMServe

/// `trm-exp serve [--store PATH] [--host 127.0.0.1] [--port 8080]`
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Browse runs, compare them and watch a model solve puzzles in a web browser.",
        discussion: """
            Serves the web UI and its JSON API (under /api/, listed in the README) for one run store until Ctrl-C. \
            Pages: the runs with live progress, one run's curves and K statistics, a comparison of runs, and a playground \
            that solves a puzzle step by step. Everything the pages need ships with trm-exp; they work offline.

            By default only this machine can connect (127.0.0.1). --host 0.0.0.0 opens the store and the models to \
            anyone who can reach the port.
            """)

    @Option(help: .store)
    var store: String = RunStore.defaultPath

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "TCP port (0: any free port).")
    var port = 8080

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port \(port) is out of range; use 0…65535") }
        guard !host.isEmpty else { throw ValidationError("--host needs an address, e.g. 127.0.0.1") }
    }

    func run() async throws {
        LoggingSetup.bootstrap(level: .warning)
        var options = WebServer.Options()
        options.storePath = store
        options.host = host
        options.port = port
        let server = try WebServer(options: options)
        if !WebServer.isLoopback(host) {
            Console.standardError.writeLine(
                "warning: listening on \(host): anyone who can reach this port can read the run store and run its models")
        }
        try await server.run(stopOnSignals: true) { url in
            // Written unbuffered: scripts (and the tests) read the URL while the server keeps running.
            FileHandle.standardOutput.write(Data("trm-exp serve: \(url.absoluteString) (store \(store); Ctrl-C stops)\n".utf8))
        }
    }
}
